/** Weekday words, 0 = Sunday … 6 = Saturday, with their usual abbreviations and plurals. */
export const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

const WEEKDAY_WORDS = new Map<string, number>();
WEEKDAY_NAMES.forEach((name, index) => {
  const lower = name.toLowerCase();
  for (const form of [lower, `${lower}s`, lower.slice(0, 3)]) WEEKDAY_WORDS.set(form, index);
});
for (const [form, index] of [
  ["tues", 2],
  ["weds", 3],
  ["thur", 4],
  ["thurs", 4],
] as const) {
  WEEKDAY_WORDS.set(form, index);
}

export function weekdayOf(word: string): number | undefined {
  return WEEKDAY_WORDS.get(word);
}

/** Duration units in milliseconds. */
const UNIT_WORDS = new Map<string, { readonly name: string; readonly ms: number }>();
for (const [name, ms, forms] of [
  ["second", 1000, ["s", "sec", "secs", "second", "seconds"]],
  ["minute", 60_000, ["m", "min", "mins", "minute", "minutes"]],
  ["hour", 3_600_000, ["h", "hr", "hrs", "hour", "hours"]],
  ["day", 86_400_000, ["d", "day", "days"]],
  ["week", 604_800_000, ["w", "week", "weeks"]],
] as const) {
  for (const form of forms) UNIT_WORDS.set(form, { name, ms });
}

export function unitOf(word: string): { readonly name: string; readonly ms: number } | undefined {
  return UNIT_WORDS.get(word);
}

/** Every word the grammar knows, for telling a typo ("unknown word") from a misplaced word. */
export const KNOWN_WORDS: ReadonlySet<string> = new Set([
  ...WEEKDAY_WORDS.keys(),
  ...UNIT_WORDS.keys(),
  "every",
  "once",
  "next",
  "in",
  "at",
  "on",
  "and",
  "the",
  "of",
  "last",
  "month",
  "weekday",
  "weekdays",
  "weekend",
  "weekends",
  "am",
  "pm",
  "noon",
  "midnight",
]);
