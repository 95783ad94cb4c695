import { dayNumber, daysInMonth, localFields, weekdayOfDay, type LocalTime } from "../time.ts";
import type { LocalRule } from "./local-rule.ts";
import { firstTimeOnDay, laterTimeOnDay, type TimesOfDay } from "./times-of-day.ts";

/** Every day at the given times: `every day at 9:00 and 17:30`. */
export class DailyRule implements LocalRule {
  constructor(readonly times: TimesOfDay) {}

  nextLocal(after: LocalTime): LocalTime {
    const day = dayNumber(after);
    return laterTimeOnDay(this.times, day, after) ?? firstTimeOnDay(this.times, day + 1);
  }
}

/** Given weekdays (0 = Sunday) at the given times: `every Monday and Thursday at 18:30`. */
export class WeeklyRule implements LocalRule {
  readonly #weekdays: ReadonlySet<number>;

  constructor(
    weekdays: Iterable<number>,
    readonly times: TimesOfDay,
  ) {
    this.#weekdays = new Set(weekdays);
  }

  get weekdays(): readonly number[] {
    return [...this.#weekdays].sort((a, b) => a - b);
  }

  nextLocal(after: LocalTime): LocalTime | null {
    const today = dayNumber(after);
    if (this.#weekdays.has(weekdayOfDay(today))) {
      const later = laterTimeOnDay(this.times, today, after);
      if (later !== null) return later;
    }
    for (let day = today + 1; day <= today + 7; day++) {
      if (this.#weekdays.has(weekdayOfDay(day))) return firstTimeOnDay(this.times, day);
    }
    return null;
  }
}

/** The last day of the month, among the days of a MonthlyRule. */
export const LAST_DAY = 0;

/**
 * Given days of the month at the given times: `every month on the 1st and 15th at 09:00`,
 * `every month on the last day at 23:00`. A month without the day (the 31st in April) is skipped.
 */
export class MonthlyRule implements LocalRule {
  constructor(
    /** Days 1–31, or LAST_DAY; sorted and distinct. */
    readonly days: readonly number[],
    readonly times: TimesOfDay,
  ) {}

  nextLocal(after: LocalTime): LocalTime | null {
    const today = localFields(after);
    const todayNumber = dayNumber(after);
    let year = today.year;
    let month = today.month;
    // Every day 1–31 occurs at least once in any three consecutive months: four are plenty.
    for (let step = 0; step < 4; step++) {
      for (const dayOfMonth of this.#daysIn(year, month)) {
        const day = dayNumber(Date.UTC(year, month - 1, dayOfMonth));
        if (day < todayNumber) continue;
        if (day === todayNumber) {
          const later = laterTimeOnDay(this.times, day, after);
          if (later !== null) return later;
          continue;
        }
        return firstTimeOnDay(this.times, day);
      }
      month++;
      if (month > 12) {
        month = 1;
        year++;
      }
    }
    return null;
  }

  #daysIn(year: number, month: number): number[] {
    const length = daysInMonth(year, month);
    const days = this.days.map((day) => (day === LAST_DAY ? length : day)).filter((day) => day <= length);
    return [...new Set(days)].sort((a, b) => a - b);
  }
}
