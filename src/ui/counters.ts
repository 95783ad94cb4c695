import type { OrchestraEvent } from "../orchestra.ts";

/** The figures of the "Orchestrating jobs" line. */
export interface CounterSnapshot {
  readonly dispatched: number;
  readonly running: number;
  readonly succeeded: number;
  readonly failed: number;
  /** 99th percentile of dispatch lateness (dispatched − due) over the recent dispatches, ms; null before the first. */
  readonly lateP99: number | null;
}

/** How many recent dispatches the lateness percentile looks at: recent enough to show a slow spell. */
export const LATENESS_WINDOW = 1000;

/**
 * Counts what happened since this process started, from the events of the scheduler and the
 * in-process worker. "failed" counts failed attempts, retried or not. Catch-up dispatches (occurrences
 * missed while nothing ran) are late on purpose and stay out of the lateness percentile, which is about
 * how promptly the scheduler fires.
 */
export class EventCounters {
  #dispatched = 0;
  #succeeded = 0;
  #failed = 0;
  /** Runs started and not yet ended, by id: an end without its start (a redelivery) cannot push the count below zero. */
  readonly #running = new Set<number>();
  readonly #lateness: number[] = [];
  #next = 0;

  record(event: OrchestraEvent): void {
    switch (event.type) {
      case "dispatched":
        this.#dispatched += 1;
        if (!event.catchUp) this.#sample(Math.max(0, event.lateness));
        break;
      case "run-started":
        this.#running.add(event.runId);
        break;
      case "run-succeeded":
        this.#succeeded += 1;
        this.#running.delete(event.runId);
        break;
      case "run-failed":
        this.#failed += 1;
        this.#running.delete(event.runId);
        break;
      case "run-expired":
      case "lease-lost":
        this.#running.delete(event.runId);
        break;
      default:
        break;
    }
  }

  snapshot(): CounterSnapshot {
    return {
      dispatched: this.#dispatched,
      running: this.#running.size,
      succeeded: this.#succeeded,
      failed: this.#failed,
      lateP99: this.#lateness.length === 0 ? null : percentile(this.#lateness, 0.99),
    };
  }

  #sample(lateness: number): void {
    if (this.#lateness.length < LATENESS_WINDOW) this.#lateness.push(lateness);
    else this.#lateness[this.#next] = lateness;
    this.#next = (this.#next + 1) % LATENESS_WINDOW;
  }
}

/** Nearest-rank percentile (`p` in 0..1) of a non-empty sample: always one of the observed values. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] ?? 0;
}
