/**
 * JSON with every object's keys in sorted order, so that two equal values always give the same text
 * (JSON.stringify follows insertion order: a definition read back from the store and the same one
 * parsed from a file differ in it).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) =>
    field !== null && typeof field === "object" && !Array.isArray(field)
      ? Object.fromEntries(Object.entries(field as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : field,
  );
}
