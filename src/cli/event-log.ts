import { logRecordOf } from "../log/records.ts";
import type { OrchestraEvent } from "../orchestra.ts";

/**
 * One human line per event (null for the debug-level ones), in the structured log's words
 * (src/log/records.ts): what `orchestra worker` and `orchestra run` say of it.
 */
export function describeEvent(event: OrchestraEvent, now: number): string | null {
  const record = logRecordOf(event, now);
  return record.level === "debug" ? null : record.msg;
}
