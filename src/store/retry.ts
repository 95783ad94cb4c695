import { setTimeout as sleep } from "node:timers/promises";

export interface RetryPolicy {
  /** How long to keep trying, from the first attempt. */
  readonly timeoutMs: number;
  readonly firstPauseMs: number;
  /** Pauses double up to this. */
  readonly maxPauseMs: number;
  /** Spread each pause randomly over [pause/2, pause], so that processes that failed together do not retry in step. */
  readonly jitter?: boolean;
  /** Whether this failure may pass if tried again (a lock, a lost connection); anything else is thrown at once. */
  readonly isRetryable: (error: unknown) => boolean;
  /** The error to throw when time is up, given the last failure. */
  readonly giveUp: (error: unknown) => Error;
  /** Told of each failure that will be tried again, before the pause. */
  readonly onRetry?: (error: unknown) => void;
}

/** Runs `work`, running it again after growing pauses while it fails in a way that may pass. */
export async function withRetry<T>(work: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  const deadline = Date.now() + policy.timeoutMs;
  for (let pause = policy.firstPauseMs; ; pause = Math.min(pause * 2, policy.maxPauseMs)) {
    try {
      return await work();
    } catch (error) {
      if (!policy.isRetryable(error)) throw error;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw policy.giveUp(error);
      policy.onRetry?.(error);
      const wait = policy.jitter === true ? pause / 2 + (Math.random() * pause) / 2 : pause;
      // The last pause is cut short so that the last try falls on the deadline: the whole budget is used.
      await sleep(Math.min(wait, remaining));
    }
  }
}
