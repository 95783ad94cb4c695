/**
 * How far a job's values may go, wherever the job is declared (schedule file, REST API, code): one
 * place, so every path refuses the same things, and nothing accepted can later break the scheduler,
 * the store or the broker.
 */

/** A run's timeout, in seconds: Node.js timers wait at most 2^31 − 1 ms (about 24.8 days). */
export const MAX_TIMEOUT_SECONDS = 2_147_483;

/**
 * `countdown` and `expires`, in seconds: 10 years (of 365 days). The instants they give stay far inside
 * what a Date, a PostgreSQL bigint and BullMQ's delay hold.
 */
export const MAX_DELAY_SECONDS = 315_360_000;

/**
 * Priorities run from −1,000,000 to 1,000,000: inside PostgreSQL's integer, and each one a rank of its
 * own in BullMQ (bullmqRankOf clamps beyond ±1,048,575).
 */
export const MAX_PRIORITY = 1_000_000;
export const MIN_PRIORITY = -MAX_PRIORITY;

/** Retries of a failed run. */
export const MAX_RETRIES = 1000;

/** `max_catchup`: catch-up runs per job after a pause in scheduling (an integer column). */
export const MAX_CATCHUP = 10_000;

/** What a maximum means, for messages that name it. */
const MAXIMUM_NOTES = new Map<number, string>([
  [MAX_TIMEOUT_SECONDS, "about 24.8 days, the longest a Node.js timer waits"],
  [MAX_DELAY_SECONDS, "10 years"],
]);

/** `2147483 (about 24.8 days, …)`: a maximum as messages name it. */
export function maximumText(maximum: number): string {
  const note = MAXIMUM_NOTES.get(maximum);
  return note === undefined ? String(maximum) : `${maximum} (${note})`;
}
