import { echo } from "../errors/echo.ts";
import { TimingError } from "../errors/timing-error.ts";
import { parseTimingSpec } from "./parse.ts";
import type { Instant } from "./time.ts";
import type { Trigger } from "./trigger.ts";

/**
 * Why a ONCE job at a fixed date (`2020-01-01 09:00`, `2020-01-01T09:00:00+01:00`) would never run:
 * its date is not after `now`. Undefined for every other job, whose next fire always lies ahead.
 *
 * @example
 * neverRuns(parseTiming("2020-01-01 09:00"), Date.parse("2024-03-03T07:36:47Z"));
 * // "2020-01-01 09:00 (UTC) is in the past: the job would never run"
 */
export function neverRuns(trigger: Trigger, now: Instant): string | undefined {
  if (!trigger.once) return undefined;
  const spec = parseTimingSpec(trigger.expression);
  if (spec.kind !== "ONCE" || (spec.at !== "local" && spec.at !== "instant")) return undefined;
  if (trigger.nextFire(now, now) !== null) return undefined;
  // A wall-clock date is read in the job's zone; a date-time with its own offset needs none.
  const zone = spec.at === "local" ? ` (${trigger.timezone})` : "";
  return `${echo(trigger.expression.trim())}${zone} is in the past: the job would never run`;
}

/**
 * Throws a TimingError when a ONCE job at a fixed date would never run (see neverRuns): for jobs made
 * through the API or code, where accepting it would store a job that is done before it starts.
 */
export function refuseNeverRuns(trigger: Trigger, now: Instant): void {
  const reason = neverRuns(trigger, now);
  if (reason === undefined) return;
  const { expression } = trigger;
  const column = expression.length - expression.trimStart().length + 1;
  throw new TimingError({ expression, column, word: expression.trim(), reason, wholeExpression: true });
}
