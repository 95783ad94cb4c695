import { Cron } from "croner";
import type { LocalTime } from "../time.ts";
import { LruMap } from "../../util/lru-map.ts";
import type { LocalRule } from "./local-rule.ts";

/**
 * A cron pattern matched against the wall clock. Croner does the parsing and matching; it sees local
 * readings as UTC (offset 0) so that the zone and its DST rules stay in one place, `search.ts`.
 */
export class CronRule implements LocalRule {
  constructor(readonly pattern: string) {
    cronFor(pattern); // parses now: a bad pattern fails here, not at its first fire
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
    return cronFor(this.pattern).nextRun(new Date(after))?.getTime() ?? null;
  }
}

/**
 * A parsed croner pattern weighs about 80 KB (it keeps a table of 10,000 years), far more than a job:
 * rules do not each hold one. Jobs with the same pattern, in any zone, share one, and only the most
 * recently used are kept; rebuilding an evicted one costs about 15 µs, once per fire at worst.
 */
const crons = new LruMap<string, Cron>(128);

function cronFor(pattern: string): Cron {
  return crons.getOrCreate(pattern, () => new Cron(pattern, { utcOffset: 0, mode: "5-or-6-parts" }));
}
