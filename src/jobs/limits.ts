/**
 * How far a job's values may go, wherever the job is declared (schedule file, REST API, code): one
 * place, so every path refuses the same things, and nothing accepted can later break the scheduler,
 * the store or the broker.
 */

/** A run's timeout, in seconds: Node.js timers wait at most 2^31 − 1 ms (about 24.8 days). */
export const MAX_TIMEOUT_SECONDS = 2_147_483;

/** What a maximum means, for messages that name it. */
const MAXIMUM_NOTES = new Map<number, string>([[MAX_TIMEOUT_SECONDS, "about 24.8 days, the longest a Node.js timer waits"]]);

/** `2147483 (about 24.8 days, …)`: a maximum as messages name it. */
export function maximumText(maximum: number): string {
  const note = MAXIMUM_NOTES.get(maximum);
  return note === undefined ? String(maximum) : `${maximum} (${note})`;
}
