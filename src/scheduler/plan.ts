import type { MissedPolicy } from "../jobs/definition.ts";
import type { Instant } from "../timing/time.ts";
import type { Trigger } from "../timing/trigger.ts";
import type { OccurrenceOutcome } from "../store/schema.ts";

export interface PlannedOccurrence {
  readonly dueAt: Instant;
  readonly outcome: OccurrenceOutcome;
  /** Why it was missed or caught up. */
  readonly reason: string | null;
}

export interface DuePlan {
  readonly occurrences: readonly PlannedOccurrence[];
  /** The first fire after `now`, or null when the job is done. */
  readonly nextDue: Instant | null;
  /** Missed occurrences beyond those listed one by one (a long outage of a frequent job). */
  readonly unlisted: number;
}

export interface PlannableJob {
  readonly trigger: Trigger;
  readonly anchor: Instant;
  readonly nextDue: Instant;
  readonly missed: MissedPolicy;
  readonly maxCatchup: number;
}

/** At most this many missed occurrences of one job are recorded one by one per plan. */
export const MAX_LISTED_MISSES = 1000;

/**
 * What to do with a job whose next occurrence is due: pure, so every rule is a unit test.
 *
 * Occurrences due within `graceMs` before `judgedAt` (default: now), or after it, are on time and
 * dispatched. (The scheduler passes the instant its dispatch round began: an occurrence that waited
 * behind a big batch of others was not missed, whatever the clock says by its turn.) Older ones were
 * missed (the scheduler was down, or stalled) and follow the job's policy: `skip` runs none of them,
 * `once` runs the latest as one catch-up when nothing runs on time anyway, `all` runs each of them, up
 * to maxCatchup (the latest ones). Every occurrence not run is recorded as missed with its reason.
 */
export function planDue(job: PlannableJob, now: Instant, graceMs: number, judgedAt: Instant = now): DuePlan {
  const due: Instant[] = [];
  let next: Instant | null = job.nextDue;
  const listLimit = MAX_LISTED_MISSES + Math.max(job.maxCatchup, 1) + 1;
  while (next !== null && next <= now && due.length < listLimit) {
    due.push(next);
    next = job.trigger.nextFire(next, job.anchor);
  }
  let unlisted = 0;
  if (next !== null && next <= now) {
    // A frequent job after a long outage: stop listing and jump straight past now.
    unlisted = estimateSkipped(job, next, now);
    next = job.trigger.nextFire(now, job.anchor);
  }

  const onTime = due.filter((instant) => judgedAt - instant <= graceMs);
  const late = due.filter((instant) => judgedAt - instant > graceMs);
  const occurrences: PlannedOccurrence[] = [];
  const missed = (instant: Instant, reason: string): void => {
    occurrences.push({ dueAt: instant, outcome: "missed", reason });
  };

  if (job.missed === "all") {
    const caughtUp = late.slice(-job.maxCatchup);
    for (const instant of late.slice(0, late.length - caughtUp.length)) missed(instant, `missed: beyond max_catchup ${job.maxCatchup}`);
    for (const instant of caughtUp) occurrences.push({ dueAt: instant, outcome: "catch-up", reason: "late: policy all" });
  } else if (job.missed === "once" && onTime.length === 0 && late.length > 0) {
    for (const instant of late.slice(0, -1)) missed(instant, "missed: policy once ran the latest as a catch-up");
    const latest = late.at(-1);
    if (latest !== undefined) occurrences.push({ dueAt: latest, outcome: "catch-up", reason: "late: policy once" });
  } else {
    const why = job.missed === "skip" ? "missed: policy skip" : "missed: a later occurrence runs on time";
    for (const instant of late) missed(instant, why);
  }
  for (const instant of onTime) occurrences.push({ dueAt: instant, outcome: "dispatched", reason: null });
  return { occurrences, nextDue: next, unlisted };
}

function estimateSkipped(job: PlannableJob, from: Instant, now: Instant): number {
  const second = job.trigger.nextFire(from, job.anchor);
  if (second === null) return 1;
  const period = Math.max(1, second - from);
  return Math.max(1, Math.floor((now - from) / period) + 1);
}
