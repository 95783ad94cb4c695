import type { Instant } from "../timing/time.ts";

/** The scheduler's only source of time, so tests can drive it by hand. */
export interface Clock {
  now(): Instant;
  /** Calls `callback` after about `ms` milliseconds (it may fire early or late: callers re-check `now`). */
  setTimer(callback: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly id: unknown;
}

/** Node's timers cap at 2^31−1 ms (24.8 days); longer waits are split by the caller. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (callback, ms) => ({ id: setTimeout(callback, Math.min(Math.max(0, ms), MAX_TIMER_MS)) }),
  clearTimer: (handle) => {
    clearTimeout(handle.id as NodeJS.Timeout);
  },
};

/**
 * A clock that moves only when told: `advance(ms)` runs the timers that fall due, in order, each
 * seeing `now()` at its own due time. For tests and simulations.
 */
export class ManualClock implements Clock {
  #now: Instant;
  #timers = new Map<number, { at: Instant; callback: () => void }>();
  #nextId = 1;

  constructor(start: Instant) {
    this.#now = start;
  }

  now(): Instant {
    return this.#now;
  }

  setTimer(callback: () => void, ms: number): TimerHandle {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), callback });
    return { id };
  }

  clearTimer(handle: TimerHandle): void {
    this.#timers.delete(handle.id as number);
  }

  /** Sets the time without running timers: a clock jump (NTP step, suspended laptop). */
  jumpTo(instant: Instant): void {
    this.#now = instant;
  }

  /** Moves time forward by `ms`, running each timer that falls due on the way. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let nextId: number | undefined;
      let nextAt = Infinity;
      for (const [id, timer] of this.#timers) {
        if (timer.at <= end && timer.at < nextAt) {
          nextAt = timer.at;
          nextId = id;
        }
      }
      if (nextId === undefined) break;
      const timer = this.#timers.get(nextId);
      this.#timers.delete(nextId);
      this.#now = Math.max(this.#now, nextAt);
      timer?.callback();
    }
    this.#now = end;
  }

  /** How many timers are waiting. */
  get pendingTimers(): number {
    return this.#timers.size;
  }
}
