import { Cron } from "croner";
import type { LocalTime } from "../time.ts";
import type { LocalRule } from "./local-rule.ts";

/**
 * A cron pattern matched against the wall clock. Croner does the parsing and matching; it sees local
 * readings as UTC (offset 0) so that the zone and its DST rules stay in one place, `search.ts`.
 */
export class CronRule implements LocalRule {
  readonly #cron: Cron;

  constructor(readonly pattern: string) {
    this.#cron = new Cron(pattern, { utcOffset: 0, mode: "5-or-6-parts" });
  }

  /**
   * Whether the pattern names fixed times of day (no `*`, `?` or step in its second, minute and hour
   * fields, as in `30 2 * * *` or `0 9,17 * * 1-5`). Fixed-time patterns follow the wall clock like
   * DAILY; the others (`*\/15 * * * *`) fire on real time like HOURLY. Vixie cron draws the same line.
   */
  get fixedTime(): boolean {
    const fields = this.pattern.trim().split(/\s+/);
    if (fields.length === 1) return this.pattern.trim().toLowerCase() !== "@hourly"; // @daily, @weekly…: midnight
    const timeFields = fields.length === 6 ? fields.slice(0, 3) : fields.slice(0, 2);
    return timeFields.every((field) => !/[*?/]/.test(field));
  }

  nextLocal(after: LocalTime): LocalTime | null {
    return this.#cron.nextRun(new Date(after))?.getTime() ?? null;
  }
}
