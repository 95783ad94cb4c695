import { DuplicateJobError } from "../errors/job-errors.ts";
import { DEFAULT_MAX_CATCHUP } from "../jobs/definition.ts";
import type { JobView } from "../jobs/view.ts";
import { parseTiming } from "../timing/parse.ts";
import type { Instant } from "../timing/time.ts";
import type { Trigger } from "../timing/trigger.ts";
import type { Clock, TimerHandle } from "./clock.ts";
import { DueHeap } from "./due-heap.ts";

interface FunctionJob {
  readonly name: string;
  readonly fn: () => unknown;
  readonly trigger: Trigger;
  readonly anchor: Instant;
  nextDue: Instant | null;
  runs: number;
  lastRun: { status: string; at: Instant } | null;
}

/**
 * Plain functions on a timing, run in this process and not recorded (the seed's `scheduler.cyclic`):
 * for heartbeats and housekeeping that must not outlive the process. One timer for the earliest.
 */
export class FunctionJobs {
  readonly #clock: Clock;
  readonly #onError: (name: string, error: unknown) => void;
  readonly #jobs = new Map<string, FunctionJob>();
  readonly #heap = new DueHeap();
  #timer: TimerHandle | null = null;
  #running = false;

  constructor(clock: Clock, onError: (name: string, error: unknown) => void) {
    this.#clock = clock;
    this.#onError = onError;
  }

  add(fn: () => unknown, timing: string, name: string, timezone = "UTC"): void {
    if (this.#jobs.has(name)) throw new DuplicateJobError(name);
    const trigger = parseTiming(timing, timezone);
    const now = this.#clock.now();
    const job: FunctionJob = { name, fn, trigger, anchor: now, nextDue: trigger.nextFire(now, now), runs: 0, lastRun: null };
    this.#jobs.set(name, job);
    if (job.nextDue !== null) this.#heap.push(job.nextDue, name, 0);
    this.#arm();
  }

  has(name: string): boolean {
    return this.#jobs.has(name);
  }

  views(): JobView[] {
    return [...this.#jobs.values()].map((job) => ({
      name: job.name,
      state: job.nextDue === null ? "Done" : "Running",
      kind: job.trigger.kind,
      timing: job.trigger.expression,
      timezone: job.trigger.timezone,
      module: "(in-process)",
      task: job.fn.name === "" ? job.name : job.fn.name,
      nextDue: job.nextDue,
      attempts: job.runs,
      failedAttempts: 0,
      attemptsLabel: `${job.runs}/${job.trigger.once ? "1" : "inf"}`,
      tags: [],
      lastRun: job.lastRun,
      options: {},
      missed: "skip",
      maxCatchup: DEFAULT_MAX_CATCHUP,
      source: "function",
    }));
  }

  start(): void {
    this.#running = true;
    this.#arm();
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== null) this.#clock.clearTimer(this.#timer);
    this.#timer = null;
  }

  #arm(): void {
    if (!this.#running) return;
    if (this.#timer !== null) this.#clock.clearTimer(this.#timer);
    const top = this.#heap.peek();
    if (top === undefined) return;
    this.#timer = this.#clock.setTimer(() => {
      this.#fireDue();
    }, Math.min(Math.max(0, top.due - this.#clock.now()), 60_000));
  }

  #fireDue(): void {
    this.#timer = null;
    const now = this.#clock.now();
    for (let top = this.#heap.peek(); top !== undefined && top.due <= now; top = this.#heap.peek()) {
      this.#heap.pop();
      const job = this.#jobs.get(top.name);
      if (job === undefined) continue;
      job.runs++;
      job.nextDue = job.trigger.nextFire(now, job.anchor);
      if (job.nextDue !== null) this.#heap.push(job.nextDue, job.name, 0);
      void this.#call(job, now);
    }
    this.#arm();
  }

  async #call(job: FunctionJob, now: Instant): Promise<void> {
    try {
      await job.fn();
      job.lastRun = { status: "success", at: now };
    } catch (error) {
      job.lastRun = { status: "failure", at: now };
      this.#onError(job.name, error);
    }
  }
}
