import type { JobsOptions } from "bullmq";
import type { Instant } from "../../timing/time.ts";
import type { TaskMessage } from "../message.ts";

/** Finished BullMQ jobs are kept this long: while one is kept, adding its occurrence again is a no-op. */
export const KEEP_FINISHED_SECONDS = 3600;

/** The Worker's backoff strategy of this name asks the failed attempt when to retry (the task's backoff). */
export const ORCHESTRA_BACKOFF = "orchestra";

/**
 * With `retries` unset the task's own options decide, which only the worker knows (it loads the task):
 * the worker then ends the job with an UnrecoverableError when no retry follows, so this cap is never reached.
 */
const UNBOUNDED_ATTEMPTS = 1_000_000;

/** BullMQ's priorities run 1 (first) … 2 097 151; Orchestra's are any integer, higher first. */
const PRIORITY_ZERO = 1_048_576;
const PRIORITY_MAX = 2_097_151;

export interface Publication {
  readonly jobId: string;
  /** BullMQ's priority (see bullmqRankOf); null: none. */
  readonly rank: number | null;
  readonly availableAt: Instant;
  readonly message: TaskMessage;
}

/**
 * Where a message goes in BullMQ's order. BullMQ runs every unprioritised job of a queue before any
 * prioritised one, and a prioritised job costs Redis about a third more work (a sorted set instead of a
 * list). So Orchestra's default priority 0 goes unprioritised, first, unless some job on the queue has a
 * higher priority (then every message of the queue is ranked, or a 0 would overtake a 5); a priority
 * below 0 is ranked, after the unprioritised ones, as it should be.
 */
export function bullmqRankOf(priority: number, queueHasHigherPriority: boolean): number | null {
  if (priority === 0 && !queueHasHigherPriority) return null;
  return Math.min(PRIORITY_MAX, Math.max(1, PRIORITY_ZERO - priority));
}

/** How an occurrence is added to BullMQ. */
export function jobOptionsOf(publication: Publication, now: Instant): JobsOptions {
  const { message } = publication;
  return {
    jobId: publication.jobId,
    ...(publication.rank === null ? {} : { priority: publication.rank }),
    delay: Math.max(0, publication.availableAt - now),
    attempts: message.retries === null ? UNBOUNDED_ATTEMPTS : message.retries + 1,
    backoff: { type: ORCHESTRA_BACKOFF },
    removeOnComplete: { age: KEEP_FINISHED_SECONDS },
    removeOnFail: { age: KEEP_FINISHED_SECONDS },
  };
}
