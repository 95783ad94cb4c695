import type { OrchestraEvent } from "../orchestra.ts";
import { formatDueIn } from "../timing/due-in.ts";
import type { CliIo } from "./io.ts";

/**
 * One human line per event (null for the chatty ones): what `orchestra run` prints until the live
 * table exists. The error's first line only: stacks are in the store.
 */
export function describeEvent(event: OrchestraEvent, now: number): string | null {
  switch (event.type) {
    case "started":
      return `Orchestra starting with ${event.jobs} job${event.jobs === 1 ? "" : "s"}`;
    case "scheduled":
      return event.nextDue === null
        ? `Job ${event.job} was scheduled but will not fire again`
        : `Job ${event.job} was scheduled to run in ${formatDueIn(event.nextDue - now)} (${new Date(event.nextDue).toISOString()})`;
    case "updated":
      return `Job ${event.job} was updated`;
    case "dispatched":
      return `Dispatched ${event.job}${event.catchUp ? " (catch-up)" : ""}, due ${new Date(event.dueAt).toISOString()}, ${event.lateness} ms late`;
    case "missed":
      return `Missed ${event.job}, due ${new Date(event.dueAt).toISOString()}`;
    case "missed-unlisted":
      return `Missed about ${event.count} more occurrences of ${event.job} (not listed one by one)`;
    case "triggered":
      return `Triggered ${event.job}`;
    case "paused":
      return `Paused job ${event.job}`;
    case "resumed":
      return `Resumed job ${event.job}`;
    case "deleted":
      return `Deleted job ${event.job}`;
    case "done":
      return `Job ${event.job} is done`;
    case "run-succeeded":
      return `Run ${event.runId} of ${event.job} succeeded in ${event.durationMs} ms`;
    case "run-failed":
      return event.retryAt === null
        ? `Run ${event.runId} of ${event.job} failed: ${event.error}`
        : `Run ${event.runId} of ${event.job} failed (attempt ${event.attempt}), retrying in ${Math.max(0, Math.round((event.retryAt - now) / 1000))} s: ${event.error}`;
    case "run-expired":
      return `Run ${event.runId} of ${event.job} expired before it started`;
    case "lease-lost":
      return `Lost the lease on run ${event.runId} of ${event.job}: another worker may run it again`;
    case "function-failed":
    case "error":
    case "worker-error":
      return `Error${"job" in event ? ` in ${event.job}` : ""}: ${firstLine(event.error)}`;
    case "run-started":
      return null;
  }
}

/** An event listener that prints each event's line, stamped with the time, to stdout. */
export function printEvents(io: CliIo): (event: OrchestraEvent) => void {
  return (event) => {
    const now = Date.now();
    const line = describeEvent(event, now);
    if (line !== null) io.stdout(`${new Date(now).toISOString().slice(11, 19)} ${line}\n`);
  };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}
