import type { Instant, LocalTime } from "./time.ts";
import type { TimesOfDay } from "./rules/times-of-day.ts";

/** When a ONCE job fires. */
export type OnceSpec =
  /** `once in 5 hours`, `once in 13:11:52`: that long after the schedule starts. */
  | { readonly at: "delay"; readonly delay: number }
  /** `11:23`, `next 23:00:00`, `next Tuesday at 13:11`: the first such reading after the start. */
  | { readonly at: "next-reading"; readonly weekday: number | null; readonly time: number }
  /** `2023-04-01 09:13`: that wall-clock date and time in the job's zone. */
  | { readonly at: "local"; readonly local: LocalTime }
  /** `2026-12-01T09:00:00+01:00`: an explicit offset wins over the zone. */
  | { readonly at: "instant"; readonly instant: Instant };

/** A timing expression parsed once into plain data: what `compile` turns into a Trigger. */
export type TimingSpec =
  | { readonly kind: "CYCLIC"; readonly interval: number }
  | { readonly kind: "MINUTELY"; readonly second: number }
  | { readonly kind: "HOURLY"; readonly minute: number; readonly second: number }
  | { readonly kind: "DAILY"; readonly times: TimesOfDay }
  | { readonly kind: "WEEKLY"; readonly weekdays: readonly number[]; readonly times: TimesOfDay }
  /** Days 1–31, 0 for the last day of the month. */
  | { readonly kind: "MONTHLY"; readonly days: readonly number[]; readonly times: TimesOfDay }
  | { readonly kind: "CRON"; readonly pattern: string }
  | ({ readonly kind: "ONCE" } & OnceSpec);
