import type { Logger } from "pino";
import type { OrchestraEvent } from "../orchestra.ts";
import type { Instant } from "../timing/time.ts";
import { FREQUENT_EVENT_LEVELS, logRecordOf } from "./records.ts";

/** An `onEvent` listener that logs each event at its level, with its fields. */
export function eventLogger(logger: Logger, now: () => Instant): (event: OrchestraEvent) => void {
  return (event) => {
    // Thousands of these a second under load: their line is not even built unless its level is shown.
    const frequent = FREQUENT_EVENT_LEVELS[event.type];
    if (frequent !== undefined && !logger.isLevelEnabled(frequent)) return;
    const record = logRecordOf(event, now());
    logger[record.level](record.fields, record.msg);
  };
}
