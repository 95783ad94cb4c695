import type { Logger } from "pino";
import type { OrchestraEvent } from "../orchestra.ts";
import type { Instant } from "../timing/time.ts";
import { logRecordOf } from "./records.ts";

/** An `onEvent` listener that logs each event at its level, with its fields. */
export function eventLogger(logger: Logger, now: () => Instant): (event: OrchestraEvent) => void {
  return (event) => {
    // A worker starts thousands of runs a second: their debug line is not even built unless shown.
    if (event.type === "run-started" && !logger.isLevelEnabled("debug")) return;
    const record = logRecordOf(event, now());
    logger[record.level](record.fields, record.msg);
  };
}
