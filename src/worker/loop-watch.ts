import type { WorkerEvent } from "./events.ts";

/**
 * Notices the event loop being held up, as by a task that runs synchronous code for seconds. A worker
 * renews the leases (BullMQ: the locks) of its running tasks from the event loop: held up for longer
 * than a lease, it loses them, and another worker runs those tasks again while they still run here.
 * This says so, with the cure, rather than leaving the user to find two runs of one occurrence.
 */
export class LoopWatch {
  readonly #thresholdMs: number;
  readonly #everyMs: number;
  readonly #onHeld: (heldMs: number) => void;
  #timer: NodeJS.Timeout | null = null;
  #last = 0;

  /** `onHeld` hears of every hold of `thresholdMs` or more (a lease is at risk from half its length). */
  constructor(thresholdMs: number, onHeld: (heldMs: number) => void, everyMs = 250) {
    this.#thresholdMs = thresholdMs;
    this.#onHeld = onHeld;
    this.#everyMs = everyMs;
  }

  start(): void {
    if (this.#timer !== null) return;
    this.#last = performance.now();
    this.#timer = setInterval(() => {
      const now = performance.now();
      const heldMs = now - this.#last - this.#everyMs;
      this.#last = now;
      if (heldMs >= this.#thresholdMs) this.#onHeld(heldMs);
    }, this.#everyMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }
}

/**
 * Watches the event loop of a worker whose leases last `leaseMs` (renewed from it, at the latest every
 * half lease): a hold of half a lease while tasks run is reported as a `loop-held` event.
 */
export function watchLeases(leaseMs: number, running: () => number, report: (event: WorkerEvent) => void): LoopWatch {
  const watch = new LoopWatch(leaseMs / 2, (heldMs) => {
    const tasks = running();
    if (tasks > 0) report({ type: "loop-held", heldMs, leaseMs, running: tasks });
  });
  watch.start();
  return watch;
}
