import type { Static } from "@sinclair/typebox";
import type { JobView } from "../jobs/view.ts";
import type { StateChange as SchedulerStateChange } from "../scheduler/scheduler.ts";
import type { JobState as StoredJobState, RunRow } from "../store/schema.ts";
import { formatDueIn } from "../timing/due-in.ts";
import { formatInstant } from "../timing/format.ts";
import type { Instant } from "../timing/time.ts";
import { zoneFor } from "../timing/zone.ts";
import type { DispatchOptions, Job, Run, RunDetail, StateChange } from "./schemas.ts";

/** How the API shows what Orchestra holds: instants as ISO 8601, states in the live table's words. */

const STATE_NAMES: Record<StoredJobState, JobView["state"]> = { running: "Running", paused: "Paused", done: "Done" };

export function presentJob(view: JobView, now: Instant): Static<typeof Job> {
  const untilDue = view.nextDue === null ? null : view.nextDue - now;
  return {
    name: view.name,
    state: view.state,
    kind: view.kind,
    timing: view.timing,
    timezone: view.timezone,
    module: view.module,
    task: view.task,
    nextDue: view.nextDue === null ? null : inZone(view.nextDue, view.timezone),
    dueIn: untilDue === null ? null : formatDueIn(untilDue),
    dueInSeconds: untilDue === null ? null : Math.trunc(untilDue / 1000),
    attempts: view.attempts,
    attemptsLabel: view.attemptsLabel,
    failedAttempts: view.failedAttempts,
    tags: [...view.tags],
    lastRun: view.lastRun === null ? null : { status: view.lastRun.status, at: iso(view.lastRun.at) },
    source: view.source,
    options: plainOptions(view.options),
    missed: view.missed,
    maxCatchup: view.maxCatchup,
  };
}

/** The options as JSON-ready data (the API's types want mutable arrays). */
function plainOptions(options: JobView["options"]): Static<typeof DispatchOptions> {
  const { args, ...rest } = options;
  return args === undefined ? rest : { ...rest, args: [...args] };
}

export function presentStateChange(change: SchedulerStateChange): Static<typeof StateChange> {
  return { name: change.name, state: STATE_NAMES[change.state], changed: change.changed };
}

export function presentRun(run: RunRow): Static<typeof Run> {
  return {
    id: run.id,
    job: run.job_name,
    occurrenceId: run.occurrence_id,
    attempt: run.attempt,
    status: run.status,
    queue: run.queue,
    workerId: run.worker_id,
    enqueuedAt: iso(run.enqueued_at),
    startedAt: run.started_at === null ? null : iso(run.started_at),
    finishedAt: run.finished_at === null ? null : iso(run.finished_at),
    durationMs: run.started_at === null || run.finished_at === null ? null : run.finished_at - run.started_at,
    result: parseResult(run.result),
    error: run.error,
  };
}

export function presentRunDetail(run: RunRow): Static<typeof RunDetail> {
  return { ...presentRun(run), errorStack: run.error_stack };
}

function parseResult(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // written by an older version, or by hand: shown as it is
  }
}

/** In the job's zone when it is a known one (in-process functions always are), else UTC. */
function inZone(instant: Instant, timezone: string): string {
  try {
    return formatInstant(instant, zoneFor(timezone));
  } catch {
    return iso(instant);
  }
}

function iso(instant: Instant): string {
  return new Date(instant).toISOString();
}
