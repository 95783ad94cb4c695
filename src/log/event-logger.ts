import type { Logger } from "pino";
import type { OrchestraEvent } from "../orchestra.ts";
import type { Instant } from "../timing/time.ts";
import { FREQUENT_EVENT_LEVELS, logRecordOf } from "./records.ts";
import { RepeatedLines } from "./repeats.ts";

/** Events that report a component's failure: while the store or Redis is away, the same one repeats. */
const REPEATING: ReadonlySet<OrchestraEvent["type"]> = new Set(["error", "worker-error"]);

/**
 * An `onEvent` listener that logs each event at its level, with its fields; a failure that repeats is
 * logged once per REPEAT_WINDOW_MS (see RepeatedLines).
 */
export function eventLogger(logger: Logger, now: () => Instant): (event: OrchestraEvent) => void {
  const repeats = new RepeatedLines();
  return (event) => {
    // Thousands of these a second under load: their line is not even built unless its level is shown.
    const frequent = FREQUENT_EVENT_LEVELS[event.type];
    if (frequent !== undefined && !logger.isLevelEnabled(frequent)) return;
    const at = now();
    const record = logRecordOf(event, at);
    if (event.type === "recovered" || event.type === "worker-recovered") {
      // The failures left out are told now, before the line that says they are over.
      for (const { text, leftOut, sinceMs } of repeats.drain(at)) logger.error({ event: "error", leftOut }, withLeftOut(text, leftOut, sinceMs));
    }
    if (!REPEATING.has(event.type)) {
      logger[record.level](record.fields, record.msg);
      return;
    }
    const admitted = repeats.admit(record.msg, at);
    if (admitted === null) return;
    if (admitted.leftOut === 0) logger[record.level](record.fields, record.msg);
    else logger[record.level]({ ...record.fields, leftOut: admitted.leftOut }, withLeftOut(record.msg, admitted.leftOut, admitted.sinceMs));
  };
}

/** A repeating line, saying how many like it were left out since it was last logged. */
function withLeftOut(text: string, leftOut: number, sinceMs: number): string {
  return `${text} (${String(leftOut)} more like it in the last ${String(Math.round(sinceMs / 1000))} s)`;
}
