/**
 * How much a job's `args` and `kwargs` may hold. They travel in every message, are stored with the
 * job and compared at every sync between schedulers, by code that walks them recursively: a value
 * nested thousands deep overflowed the stack there each second.
 */

/** Levels of lists and maps, the outer list (args) or map (kwargs) being the first. */
export const MAX_ARGUMENTS_DEPTH = 32;

/** Size as JSON (UTF-8). */
export const MAX_ARGUMENTS_BYTES = 65_536;

/** Why `value` (JSON data: a job's args or kwargs) cannot be a job's, or undefined when it can. */
export function argumentsProblem(value: unknown): string | undefined {
  const problem = problemWithin(value, 1);
  if (problem !== undefined) return problem;
  const bytes = Buffer.byteLength(JSON.stringify(value));
  return bytes > MAX_ARGUMENTS_BYTES ? `is ${bytes} bytes as JSON, more than ${MAX_ARGUMENTS_BYTES} (64 KiB)` : undefined;
}

/** The depth check stops the walk: it never goes deeper than MAX_ARGUMENTS_DEPTH + 1. */
function problemWithin(value: unknown, depth: number): string | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? "must not hold U+0000 in a string (PostgreSQL text cannot hold it)" : undefined;
  if (typeof value !== "object" || value === null) return undefined;
  if (depth > MAX_ARGUMENTS_DEPTH) return `nests deeper than ${MAX_ARGUMENTS_DEPTH} levels of lists and maps`;
  const parts = Array.isArray(value) ? (value as unknown[]) : Object.entries(value).flat();
  for (const part of parts) {
    const problem = problemWithin(part, depth + 1);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
