import type { LocalTime } from "../time.ts";
import type { LocalRule } from "./local-rule.ts";

/** Readings at a fixed phase of a fixed period of the clock: `every minute at 15 seconds`, `every hour at 05:00`. */
export class PeriodRule implements LocalRule {
  constructor(
    readonly period: number,
    readonly phase: number,
  ) {}

  nextLocal(after: LocalTime): LocalTime {
    return Math.floor((after - this.phase) / this.period) * this.period + this.period + this.phase;
  }
}
