import type { OrchestraEvent } from "../orchestra.ts";
import { fileOf } from "../jobs/source.ts";
import { formatDueIn } from "../timing/due-in.ts";
import type { Instant } from "../timing/time.ts";

export type LogLevel = "debug" | "info" | "warn" | "error";

/** Fields a machine reads from a JSON log line; instants as ISO 8601 (UTC), durations in ms. */
export type LogFields = Readonly<Record<string, string | number | boolean | null>>;

/** One event as a log entry: its level, the sentence a person reads, and the fields a machine reads. */
export interface LogRecord {
  readonly level: LogLevel;
  readonly msg: string;
  /** Always has `event` (the event's type); `job` whenever the event is about one. */
  readonly fields: LogFields;
}

/** The level of the events that come once per run or per dispatch: a logger skips them early when it is off. */
export const FREQUENT_EVENT_LEVELS: Readonly<Partial<Record<OrchestraEvent["type"], LogLevel>>> = { "run-started": "debug", "run-succeeded": "info", dispatched: "info" };

/**
 * What each event says in the log, in the seed's words where it had them ("Job X was scheduled to run
 * in …", "Paused job X", "Resumed job X"). Errors show their first line only: the stack is in the
 * store with the run, or in the `stack` field for errors outside a run. Pure: `now` is passed in.
 */
export function logRecordOf(event: OrchestraEvent, now: Instant): LogRecord {
  const job = "job" in event ? event.job : undefined;
  // Object.assign rather than spreads: a third of the time, for a line per run or per dispatch.
  const record = (level: LogLevel, msg: string, fields?: LogFields): LogRecord => {
    const all: Record<string, LogFields[string]> = job === undefined ? { event: event.type } : { event: event.type, job };
    if (fields !== undefined) Object.assign(all, fields);
    return { level, msg, fields: all };
  };
  switch (event.type) {
    case "started":
      return record("info", `Orchestra starting with ${event.jobs} job${event.jobs === 1 ? "" : "s"}`, { jobs: event.jobs });
    case "scheduled":
      return event.nextDue === null
        ? record("info", `Job ${event.job} was scheduled but will not fire again`, { nextDue: null })
        : record("info", `Job ${event.job} was scheduled to run in ${formatDueIn(wholeSecondsUntil(event.nextDue, now))} (${iso(event.nextDue)})`, { nextDue: iso(event.nextDue) });
    case "updated":
      return record("info", `Job ${event.job} was updated`, { nextDue: event.nextDue === null ? null : iso(event.nextDue) });
    case "dispatched":
      return record("info", `Dispatched ${event.job}${event.catchUp ? " (catch-up)" : ""}, due ${iso(event.dueAt)}, ${event.lateness} ms late`, {
        dueAt: iso(event.dueAt),
        lateness: event.lateness,
        occurrenceId: event.occurrenceId,
        catchUp: event.catchUp,
      });
    case "missed":
      return record("warn", `Missed ${event.job}, due ${iso(event.dueAt)}`, { dueAt: iso(event.dueAt), occurrenceId: event.occurrenceId });
    case "missed-unlisted":
      return record("warn", `Missed about ${event.count} more occurrences of ${event.job} (not listed one by one)`, { count: event.count });
    case "triggered":
      return record("info", `Triggered ${event.job}`, { occurrenceId: event.occurrenceId });
    case "paused":
      return record("info", `Paused job ${event.job}`);
    case "resumed":
      return record("info", `Resumed job ${event.job}`, { nextDue: event.nextDue === null ? null : iso(event.nextDue) });
    case "deleted":
      return record("info", `Deleted job ${event.job}`);
    case "done":
      return record("info", `Job ${event.job} is done`);
    case "run-started":
      return record("debug", `Run ${event.runId} of ${event.job} started (attempt ${event.attempt})`, { runId: event.runId, attempt: event.attempt });
    case "run-succeeded":
      return record("info", `Run ${event.runId} of ${event.job} succeeded in ${event.durationMs} ms`, { runId: event.runId, durationMs: event.durationMs });
    case "run-failed": {
      const fields = { runId: event.runId, attempt: event.attempt, error: event.error, retryAt: event.retryAt === null ? null : iso(event.retryAt) };
      return event.retryAt === null
        ? record("error", `Run ${event.runId} of ${event.job} failed: ${event.error}`, fields)
        : record(
            "warn",
            `Run ${event.runId} of ${event.job} failed (attempt ${event.attempt}), retrying in ${Math.max(0, Math.round((event.retryAt - now) / 1000))} s: ${event.error}`,
            fields,
          );
    }
    case "run-expired":
      return record("warn", `Run ${event.runId} of ${event.job} expired before it started`, { runId: event.runId });
    case "lease-lost":
      return record("warn", `Lost the lease on run ${event.runId} of ${event.job}: another worker may run it again`, { runId: event.runId });
    case "schedule-warning":
      return record("warn", event.warning);
    case "taken-over":
      return record(
        "warn",
        `Job ${event.job} is now declared by ${sourceName(event.by)}: ${sourceName(event.from)}, which declared it, no longer exists here (renamed or moved?)`,
        { from: event.from, by: event.by },
      );
    case "recovered":
    case "worker-recovered":
      return record("info", `${event.what} answers again`, { what: event.what });
    case "loop-held":
      return record(
        "warn",
        `The event loop was held up for ${(event.heldMs / 1000).toFixed(1)} s with ${event.running} ${event.running === 1 ? "task" : "tasks"} running (a task running synchronous code?): ` +
          `a lease lasts ${event.leaseMs / 1000} s, so other workers may run them again meanwhile. Run CPU-bound code in a worker thread or a child process, or raise --lease`,
        { heldMs: Math.round(event.heldMs), leaseMs: event.leaseMs, running: event.running },
      );
    case "api-listening":
      return record("info", `REST API on ${event.url} (Swagger UI at ${event.url}/docs)`, { url: event.url });
    case "api-error":
      return record("error", `REST API: ${event.method} ${event.url} failed: ${firstLine(event.error)}`, {
        method: event.method,
        url: event.url,
        error: firstLine(event.error),
        stack: event.error instanceof Error ? (event.error.stack ?? null) : null,
      });
    case "function-failed":
    case "error":
    case "worker-error":
      return record("error", `Error${event.type === "function-failed" ? ` in ${event.job}` : ""}: ${firstLine(event.error)}`, {
        error: firstLine(event.error),
        stack: event.error instanceof Error ? (event.error.stack ?? null) : null,
      });
  }
}

/** `file:/srv/s.yaml` → `/srv/s.yaml`; `api` and `code` as they are. */
function sourceName(source: string): string {
  return fileOf(source) ?? source;
}

/** The first line of an error's message: what a log line has room for. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}

/**
 * The wait rounded up to the second: a job scheduled "every 48:00:00" a few ms ago is due in 2 days,
 * as the seed's log says, not in "1 day" (the table, like the seed's, rounds down as it counts down).
 */
function wholeSecondsUntil(instant: Instant, now: Instant): number {
  return Math.ceil((instant - now) / 1000) * 1000;
}

function iso(instant: Instant): string {
  return new Date(instant).toISOString();
}
