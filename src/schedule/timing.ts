import { TimezoneError } from "../errors/timezone-error.ts";
import { quoted } from "../errors/echo.ts";
import { TimingError } from "../errors/timing-error.ts";
import { parseTiming } from "../timing/parse.ts";
import { neverRuns } from "../timing/past.ts";
import type { Trigger } from "../timing/trigger.ts";
import { zoneFor } from "../timing/zone.ts";
import type { ProblemLog } from "./problems.ts";
import type { Position, SourceNode } from "./tree.ts";

export interface Written<T> {
  readonly value: T;
  readonly node: SourceNode;
}

/**
 * Checks a job's timing expression in its zone and returns the zone's canonical name (`europe/paris`
 * → `Europe/Paris`), or undefined after reporting. An unknown zone is reported at the zone, and the
 * expression is still checked (in UTC) so both mistakes show in one run. A ONCE date in the past is
 * valid (a schedule file may outlive its one-off jobs) but is told as a warning: the job would never run.
 */
export function checkTiming(timing: Written<string>, timezone: Written<string> | undefined, log: ProblemLog): string | undefined {
  let zone = "UTC";
  let zoneOk = true;
  if (timezone !== undefined) {
    try {
      zone = zoneFor(timezone.value).name;
    } catch (error) {
      if (!(error instanceof TimezoneError)) throw error;
      log.add(timezone.node, error.message);
      zoneOk = false;
    }
  }
  let trigger: Trigger;
  try {
    trigger = parseTiming(timing.value, zoneOk ? zone : "UTC");
  } catch (error) {
    if (!(error instanceof TimingError)) throw error;
    reportTimingError(error, timing.node, log);
    return undefined;
  }
  const never = zoneOk ? neverRuns(trigger, log.now) : undefined;
  if (never !== undefined) log.warn(timing.node, never);
  return zoneOk ? zone : undefined;
}

/**
 * Points at the offending word itself when the expression is written verbatim on one line: the
 * column is the expression's column plus the error's offset, so an editor jumps to `Mondey` in
 * `timing: "every Mondey at 3:15"`. Otherwise it points at the value and keeps the error's column.
 */
function reportTimingError(error: TimingError, node: SourceNode, log: ProblemLog): void {
  const start = node.kind === "scalar" ? node.verbatimAt : undefined;
  if (start === undefined) {
    log.add(node, `invalid timing ${quoted(error.expression)}: ${error.message}`);
    return;
  }
  const at: Position = { line: start.line, column: start.column + error.column - 1 };
  log.add(node, `invalid timing: ${withoutColumn(error)}`, at);
}

/** The error's message without its ` at column N`, which the position now says better. */
function withoutColumn(error: TimingError): string {
  const prefix = `${error.reason} at column ${error.column}`;
  return error.message.startsWith(prefix) ? error.reason + error.message.slice(prefix.length) : error.message;
}
