import { WEEKDAY_NAMES } from "./parser/vocabulary.ts";
import type { TimesOfDay } from "./rules/times-of-day.ts";
import type { TimingSpec } from "./spec.ts";
import { localFields, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND } from "./time.ts";

/** A canonical English rendering of a spec: what the CLI and the live table show beside the kind. */
export function describe(spec: TimingSpec): string {
  switch (spec.kind) {
    case "CYCLIC":
      return `every ${formatDuration(spec.interval)}`;
    case "MINUTELY":
      return `every minute at second ${spec.second / MS_PER_SECOND}`;
    case "HOURLY":
      return `every hour at minute ${pad(spec.minute)}:${pad(spec.second)}`;
    case "DAILY":
      return `every day at ${formatTimes(spec.times)}`;
    case "WEEKLY":
      return `every ${formatWeekdays(spec.weekdays)} at ${formatTimes(spec.times)}`;
    case "MONTHLY":
      return `every month on the ${formatMonthDays(spec.days)} at ${formatTimes(spec.times)}`;
    case "CRON":
      return `cron ${spec.pattern}`;
    case "ONCE":
      switch (spec.at) {
        case "delay":
          return `once, ${formatDuration(spec.delay)} after the start`;
        case "next-reading":
          return spec.weekday === null
            ? `once, at the next ${formatTime(spec.time)}`
            : `once, on the next ${WEEKDAY_NAMES[spec.weekday] ?? ""} at ${formatTime(spec.time)}`;
        case "local":
          return `once, at ${formatLocal(spec.local)}`;
        case "instant":
          return `once, at ${new Date(spec.instant).toISOString()}`;
      }
  }
}

/** `2 days 1 hour 31 minutes and 12 seconds`. */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [
    ["day", MS_PER_DAY],
    ["hour", MS_PER_HOUR],
    ["minute", MS_PER_MINUTE],
    ["second", MS_PER_SECOND],
  ] as const) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count} ${unit}${count === 1 ? "" : "s"}`);
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest} ms`);
  return joinAnd(parts, " ");
}

function formatWeekdays(weekdays: readonly number[]): string {
  const set = new Set(weekdays);
  if (set.size === 5 && [1, 2, 3, 4, 5].every((day) => set.has(day))) return "weekday";
  if (set.size === 2 && set.has(0) && set.has(6)) return "weekend day";
  // Monday first, as people write weeks.
  const ordered = [...set].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7));
  return joinAnd(ordered.map((day) => WEEKDAY_NAMES[day] ?? ""));
}

function formatMonthDays(days: readonly number[]): string {
  const numbered = days.filter((day) => day !== 0).map(ordinal);
  return joinAnd(days.includes(0) ? [...numbered, "last day"] : numbered);
}

function formatTimes(times: TimesOfDay): string {
  return joinAnd(times.map(formatTime));
}

function formatTime(time: number): string {
  const hours = Math.floor(time / MS_PER_HOUR);
  const minutes = Math.floor((time % MS_PER_HOUR) / MS_PER_MINUTE);
  const seconds = Math.floor((time % MS_PER_MINUTE) / MS_PER_SECOND);
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
}

function formatLocal(local: number): string {
  const f = localFields(local);
  return `${f.year}-${pad(f.month)}-${pad(f.day)} ${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`;
}

function ordinal(day: number): string {
  const tens = day % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][day % 10] ?? "th");
  return `${day}${suffix}`;
}

function joinAnd(parts: readonly string[], separator = ", "): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(separator)} and ${parts.at(-1) ?? ""}`;
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}
