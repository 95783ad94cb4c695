import { MS_PER_DAY, type LocalTime } from "../time.ts";

/** Times of day in milliseconds since local midnight, sorted and distinct. */
export type TimesOfDay = readonly number[];

export function timesOfDay(times: Iterable<number>): TimesOfDay {
  return [...new Set(times)].sort((a, b) => a - b);
}

/** The first of `times` on day `day` strictly after the reading `after`, or null. */
export function laterTimeOnDay(times: TimesOfDay, day: number, after: LocalTime): LocalTime | null {
  const midnight = day * MS_PER_DAY;
  for (const time of times) {
    if (midnight + time > after) return midnight + time;
  }
  return null;
}

export function firstTimeOnDay(times: TimesOfDay, day: number): LocalTime {
  return day * MS_PER_DAY + (times[0] ?? 0);
}
