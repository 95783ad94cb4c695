/** Milliseconds since 1970-01-01T00:00:00Z: a point on the real time line. */
export type Instant = number;

/**
 * A wall-clock reading encoded as milliseconds since 1970-01-01 00:00:00 *local*: the instant the same
 * reading would denote in UTC. Calendar arithmetic on it is plain UTC arithmetic, with no zone involved.
 */
export type LocalTime = number;

export const MS_PER_SECOND = 1000;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/**
 * The longest interval or delay a phrase may give: 36,500 days (about 100 years). Far inside what a Date
 * holds (about 275,000 years each side of 1970), so every instant a schedule reaches is a valid one.
 */
export const MAX_DURATION_MS = 36_500 * MS_PER_DAY;

/** The last instant a Date holds (+275760-09-13): beyond it, `new Date(instant)` is an Invalid Date. */
export const LAST_INSTANT = 8.64e15;

/** Fields of a wall-clock reading; month 1–12, weekday 0 = Sunday … 6 = Saturday. */
export interface LocalFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  readonly weekday: number;
}

export function localFields(local: LocalTime): LocalFields {
  const date = new Date(local);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    millisecond: date.getUTCMilliseconds(),
    weekday: date.getUTCDay(),
  };
}

/** Day number (days since 1970-01-01) of a local time. */
export function dayNumber(local: LocalTime): number {
  return Math.floor(local / MS_PER_DAY);
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
export function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A local time from calendar fields (month 1–12); fields out of range roll over as in `Date.UTC`. */
export function localTimeOf(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): LocalTime {
  return Date.UTC(year, month - 1, day, hour, minute, second);
}
