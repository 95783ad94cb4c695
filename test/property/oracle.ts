/**
 * An independent oracle for the timing engine, written from `shared/spec/timing.md` on top of
 * temporal-polyfill. It is brute force on purpose: it enumerates candidate readings or instants one by
 * one and asks Temporal what each means, so that it is obviously right rather than fast. It shares no
 * code with `src/`; both read the zone data Node ships (Temporal through Intl), nothing else.
 */
import { Temporal } from "temporal-polyfill";

/** The zones every property runs in: 1-hour DST north and south (Santiago shifts at midnight), a
 * 30-minute DST (Lord Howe), a 45-minute offset with DST (Chatham), a 45-minute offset without (Kathmandu), UTC. */
export const ZONES = [
  "Europe/Berlin",
  "America/New_York",
  "America/Santiago",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
  "Asia/Kathmandu",
  "UTC",
] as const;

export type ZoneName = (typeof ZONES)[number];

export const SECOND = 1000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** The span reference instants are drawn from: 2020-01-01 to the end of 2030 (UTC). */
export const SPAN_START = Date.UTC(2020, 0, 1);
export const SPAN_END = Date.UTC(2031, 0, 1);

// ── Zone facts, straight from Temporal ─────────────────────────────────────────────────────────────

export function zonedAt(zone: string, instant: number): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(zone);
}

/** Local time minus UTC at `instant`, in milliseconds. */
export function offsetAt(zone: string, instant: number): number {
  return zonedAt(zone, instant).offsetNanoseconds / 1_000_000;
}

export function localDateOf(zone: string, instant: number): Temporal.PlainDate {
  return zonedAt(zone, instant).toPlainDate();
}

/** The first instant of a local date (Temporal knows days that start at 01:00, as in Santiago). */
export function startOfDay(zone: string, date: Temporal.PlainDate): number {
  return date.toZonedDateTime(zone).epochMilliseconds;
}

/** ISO 8601 with the zone's offset, for readable failures: `2024-03-31T03:30:00+02:00`. */
export function iso(zone: string, instant: number | null): string {
  return instant === null ? "null" : zonedAt(zone, instant).toString({ timeZoneName: "never" });
}

/** A change of a zone's offset: at instant `at` the offset goes from `before` to `after` (ms). */
export interface Transition {
  readonly at: number;
  readonly before: number;
  readonly after: number;
}

const transitionCache = new Map<string, readonly Transition[]>();

/** Every offset change of `zone` from 2019 to 2031, found with Temporal's getTimeZoneTransition. */
export function transitionsOf(zone: string): readonly Transition[] {
  const cached = transitionCache.get(zone);
  if (cached !== undefined) return cached;
  const found: Transition[] = [];
  let cursor: Temporal.ZonedDateTime | null = zonedAt(zone, Date.UTC(2019, 0, 1));
  for (;;) {
    cursor = cursor.getTimeZoneTransition("next");
    if (cursor === null || cursor.epochMilliseconds >= Date.UTC(2032, 0, 1)) break;
    const at = cursor.epochMilliseconds;
    found.push({ at, before: offsetAt(zone, at - 1), after: cursor.offsetNanoseconds / 1_000_000 });
  }
  // Cross-check the walk backwards: getTimeZoneTransition("previous") must find the same instants.
  const last = found.at(-1);
  if (last !== undefined) {
    const previous = zonedAt(zone, last.at + DAY).getTimeZoneTransition("previous");
    if (previous?.epochMilliseconds !== last.at) throw new Error(`Temporal disagrees with itself on ${zone}`);
  }
  transitionCache.set(zone, found);
  return found;
}

// ── Wall-clock kinds: DAILY, WEEKLY, MONTHLY, fixed-time CRON, ONCE at a reading ───────────────────

export interface TimeOfDay {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** A recurring wall-clock schedule: on the local dates `onDate` accepts, at each of `times`. */
export interface WallClockRule {
  readonly onDate: (date: Temporal.PlainDate) => boolean;
  readonly times: readonly TimeOfDay[];
}

/**
 * The instant a wall-clock reading fires at: Temporal's `compatible` disambiguation, which is the spec's
 * rule (a nonexistent time moves forward by the gap; an ambiguous time takes the earlier instant).
 */
export function wallClockInstant(zone: string, date: Temporal.PlainDate, time: TimeOfDay): number {
  return Temporal.ZonedDateTime.from(
    { timeZone: zone, year: date.year, month: date.month, day: date.day, ...time },
    { disambiguation: "compatible" },
  ).epochMilliseconds;
}

/**
 * The first fire strictly after `after`: every reading of every matching local date from two days
 * before the reference's own local date onwards, keeping the smallest instant past `after`. Once a
 * date yields a candidate, two more dates are looked at (a shifted reading may overtake a later date's).
 */
export function nextWallClockFire(zone: string, rule: WallClockRule, after: number, maxDays = 400): number | null {
  let best: number | null = null;
  let stopAfter: Temporal.PlainDate | null = null;
  let date = localDateOf(zone, after).subtract({ days: 2 });
  for (let step = 0; step < maxDays; step++, date = date.add({ days: 1 })) {
    if (stopAfter !== null && Temporal.PlainDate.compare(date, stopAfter) > 0) break;
    if (!rule.onDate(date)) continue;
    for (const time of rule.times) {
      const instant = wallClockInstant(zone, date, time);
      if (instant > after && (best === null || instant < best)) best = instant;
    }
    if (best !== null) stopAfter ??= date.add({ days: 2 });
  }
  return best;
}

/** Every fire in (after, until], ascending, each instant once. */
export function wallClockFiresBetween(zone: string, rule: WallClockRule, after: number, until: number): number[] {
  const fires = new Set<number>();
  const last = localDateOf(zone, until).add({ days: 2 });
  const first = localDateOf(zone, after).subtract({ days: 2 });
  for (let date = first; Temporal.PlainDate.compare(date, last) <= 0; date = date.add({ days: 1 })) {
    if (!rule.onDate(date)) continue;
    for (const time of rule.times) {
      const instant = wallClockInstant(zone, date, time);
      if (instant > after && instant <= until) fires.add(instant);
    }
  }
  return [...fires].sort((a, b) => a - b);
}

// ── Real-time kinds: MINUTELY, HOURLY, wildcard CRON ────────────────────────────────────────────────

/** What the zone's clock shows at an instant. `dayOfWeek` is ISO: 1 = Monday … 7 = Sunday. */
export interface Reading {
  readonly month: number;
  readonly day: number;
  readonly dayOfWeek: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/**
 * A real-time schedule: every real instant whose local reading `matches`. Only instants at the UTC
 * seconds in `seconds` are visited, which are all candidates because every offset of the zones here is
 * a whole number of minutes (a property checks that); `matches` still checks the local second, so a
 * wrong premise cannot pass.
 */
export interface RealTimeRule {
  readonly seconds: readonly number[];
  readonly matches: (reading: Reading) => boolean;
}

export function readingAt(zone: string, instant: number): Reading {
  return zonedAt(zone, instant);
}

/** The candidate instants strictly after `after`, ascending, one real minute after another. */
function* candidates(after: number, seconds: readonly number[]): Generator<number> {
  const ascending = [...seconds].sort((a, b) => a - b);
  for (let minute = Math.floor(after / MINUTE) * MINUTE; ; minute += MINUTE) {
    for (const second of ascending) {
      const instant = minute + second * SECOND;
      if (instant > after) yield instant;
    }
  }
}

/** The first fire strictly after `after`, stepping through real minutes. */
export function nextRealTimeFire(zone: string, rule: RealTimeRule, after: number, maxDays = 8): number | null {
  for (const instant of candidates(after, rule.seconds)) {
    if (instant > after + maxDays * DAY) return null;
    if (rule.matches(readingAt(zone, instant))) return instant;
  }
  return null;
}

/** Every fire in (after, until], ascending. */
export function realTimeFiresBetween(zone: string, rule: RealTimeRule, after: number, until: number): number[] {
  const fires: number[] = [];
  for (const instant of candidates(after, rule.seconds)) {
    if (instant > until) break;
    if (rule.matches(readingAt(zone, instant))) fires.push(instant);
  }
  return fires;
}

// ── Interval kinds: CYCLIC ──────────────────────────────────────────────────────────────────────────

/** The smallest anchor + k × interval (k ≥ 1) strictly after `after`. */
export function nextCyclicFire(anchor: number, interval: number, after: number): number {
  // Start anywhere near, then walk: the loops, not the estimate, make the answer right.
  let k = Math.max(1, Math.round((after - anchor) / interval));
  while (anchor + k * interval <= after) k++;
  while (k > 1 && anchor + (k - 1) * interval > after) k--;
  return anchor + k * interval;
}

export function cyclicFiresBetween(anchor: number, interval: number, after: number, until: number): number[] {
  const fires: number[] = [];
  for (let fire = nextCyclicFire(anchor, interval, after); fire <= until; fire += interval) fires.push(fire);
  return fires;
}
