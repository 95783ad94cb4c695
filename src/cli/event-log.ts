import { logRecordOf } from "../log/records.ts";
import type { OrchestraEvent } from "../orchestra.ts";
import type { CliIo } from "./io.ts";

/**
 * One human line per event (null for the debug-level ones): what `orchestra worker` prints. The words
 * are the structured log's (src/log/records.ts), so a worker and `orchestra run` say the same thing.
 */
export function describeEvent(event: OrchestraEvent, now: number): string | null {
  const record = logRecordOf(event, now);
  return record.level === "debug" ? null : record.msg;
}

/** An event listener that prints each event's line, stamped with the time, to stdout. */
export function printEvents(io: CliIo): (event: OrchestraEvent) => void {
  return (event) => {
    const now = Date.now();
    const line = describeEvent(event, now);
    if (line !== null) io.stdout(`${new Date(now).toISOString().slice(11, 19)} ${line}\n`);
  };
}
