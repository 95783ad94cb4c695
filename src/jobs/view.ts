import type { StoredJob } from "../store/jobs.ts";
import type { DispatchOptions, MissedPolicy } from "./definition.ts";
import type { Instant } from "../timing/time.ts";

/** A job as users see it (API, live table, `getJobs`): states and counters in the seed's words. */
export interface JobView {
  readonly name: string;
  readonly state: "Running" | "Paused" | "Done";
  /** CYCLIC, MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY, CRON or ONCE. */
  readonly kind: string;
  readonly timing: string;
  readonly timezone: string;
  readonly module: string;
  readonly task: string;
  readonly nextDue: Instant | null;
  readonly attempts: number;
  readonly failedAttempts: number;
  /** `3/inf` for recurring jobs, `0/1` for ONCE jobs. */
  readonly attemptsLabel: string;
  readonly tags: readonly string[];
  readonly lastRun: { readonly status: string; readonly at: Instant } | null;
  /** What each dispatch carries (queue, args, retries…); `{}` for in-process functions. */
  readonly options: DispatchOptions;
  readonly missed: MissedPolicy;
  readonly maxCatchup: number;
  /** file:<path>, api, code, or function (in-process, not in the store). */
  readonly source: string;
}

const STATE_NAMES = { running: "Running", paused: "Paused", done: "Done" } as const;

export function jobView(job: StoredJob): JobView {
  return {
    name: job.definition.name,
    state: STATE_NAMES[job.state],
    kind: job.kind,
    timing: job.definition.timing,
    timezone: job.definition.timezone,
    module: job.definition.module,
    task: job.definition.task,
    nextDue: job.state === "done" ? null : job.nextDue,
    attempts: job.attempts,
    failedAttempts: job.failedAttempts,
    attemptsLabel: `${job.attempts}/${job.kind === "ONCE" ? "1" : "inf"}`,
    tags: job.definition.tags,
    lastRun: job.lastRunAt === null || job.lastRunStatus === null ? null : { status: job.lastRunStatus, at: job.lastRunAt },
    options: job.definition.options,
    missed: job.definition.missed,
    maxCatchup: job.definition.maxCatchup,
    source: job.source,
  };
}
