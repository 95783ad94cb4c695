import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Delivery } from "../broker/message.ts";
import { sqliteQueue } from "../broker/sqlite/queue.ts";
import { asQueueDb } from "../broker/sqlite/sqlite-task-queue.ts";
import { runsRepository, type RunEnd } from "../store/runs.ts";
import type { SqliteStore } from "../store/sqlite/open.ts";
import { executeAttempt, type AttemptOutcome } from "./attempt.ts";
import type { WorkerEvent } from "./events.ts";
import type { TaskResolver } from "./task-resolver.ts";

export interface SqliteWorkerOptions {
  readonly store: SqliteStore;
  readonly resolveTask: TaskResolver;
  /** Queues served, in no particular order (priority decides within them). Default `["default"]`. */
  readonly queues?: readonly string[];
  /** Tasks run at once. Default 4. */
  readonly concurrency?: number;
  /** How long a claimed message stays ours without renewal; a dead worker's messages return after it. Default 30 s. */
  readonly leaseMs?: number;
  /** Pause between looks at an empty queue. Default 50 ms. */
  readonly pollMs?: number;
  readonly workerId?: string;
  readonly onEvent?: (event: WorkerEvent) => void;
}

interface InFlight {
  readonly delivery: Delivery;
  readonly runId: number;
  readonly abort: AbortController;
  readonly done: Promise<void>;
}

interface Completion {
  readonly delivery: Delivery;
  readonly end: RunEnd;
  /** When set, the message goes back to the queue for another attempt at this instant. */
  readonly retryAt: number | null;
}

/**
 * Runs tasks from the embedded SQLite queue. Claims only as many messages as it has free slots (no
 * prefetch to strand), renews their leases while they run, and records each attempt's end together
 * with the message's removal or return in one transaction, batched for throughput.
 */
export class SqliteWorker {
  readonly id: string;
  readonly #store: SqliteStore;
  readonly #resolveTask: TaskResolver;
  readonly #queues: readonly string[];
  readonly #concurrency: number;
  readonly #leaseMs: number;
  readonly #pollMs: number;
  readonly #onEvent: (event: WorkerEvent) => void;
  readonly #inFlight = new Map<number, InFlight>();
  #completions: Completion[] = [];
  /** The flush under way, if any: one at a time, each taking everything that ended before it began. */
  #flushing: Promise<void> | null = null;
  #running = false;
  /** Set by stop(): from then on only stop() itself writes to the store. */
  #closed = false;
  #loop: Promise<void> | null = null;
  #renewTimer: NodeJS.Timeout | null = null;
  #wake: (() => void) | null = null;

  constructor(options: SqliteWorkerOptions) {
    this.#store = options.store;
    this.#resolveTask = options.resolveTask;
    this.#queues = options.queues ?? ["default"];
    this.#concurrency = Math.max(1, options.concurrency ?? 4);
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#pollMs = options.pollMs ?? 50;
    this.#onEvent = options.onEvent ?? (() => undefined);
    this.id = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  }

  get running(): number {
    return this.#inFlight.size;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#renewTimer = setInterval(() => void this.#renew(), Math.max(100, this.#leaseMs / 3));
    this.#renewTimer.unref();
    this.#loop = this.#claimLoop();
  }

  /** There may be new work (the scheduler in this process just dispatched): look now rather than at the next poll. */
  notify(): void {
    this.#wake?.();
  }

  /**
   * Stops claiming, lets running tasks finish for up to `graceMs`, then gives the rest back to the
   * queue (their attempt stays counted: they did start) and records everything that finished.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.#running = false;
    this.notify();
    await this.#loop;
    const deadline = Date.now() + graceMs;
    while (this.#inFlight.size > 0 && Date.now() < deadline) {
      await Promise.race([Promise.all([...this.#inFlight.values()].map((f) => f.done)), sleep(Math.max(1, deadline - Date.now()))]);
    }
    const abandoned = [...this.#inFlight.values()];
    for (const flight of abandoned) flight.abort.abort(new Error("the worker is shutting down"));
    if (this.#renewTimer !== null) clearInterval(this.#renewTimer);
    // The background flusher stops after its current write; one last write takes what is left.
    this.#closed = true;
    await this.#flushing;
    await this.#flush();
    if (abandoned.length > 0) {
      await this.#store.write(async (tx) => {
        const queue = asQueueDb(tx);
        for (const { delivery, runId } of abandoned) {
          await sqliteQueue.retryAt(queue, delivery.id, this.id, Date.now());
          await runsRepository.finish(
            tx,
            [{ runId, jobName: delivery.message.jobName, status: "retry", result: null, error: "interrupted: the worker stopped before the task finished", errorStack: null }],
            Date.now(),
          );
        }
      });
      this.#inFlight.clear();
    }
  }

  async #claimLoop(): Promise<void> {
    while (this.#running) {
      const free = this.#concurrency - this.#inFlight.size;
      let claimed = 0;
      if (free > 0) {
        try {
          claimed = await this.#claim(free);
        } catch (error) {
          this.#onEvent({ type: "worker-error", error });
        }
      }
      if (claimed > 0 && claimed === free) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#pollMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
    }
  }

  async #claim(max: number): Promise<number> {
    const now = Date.now();
    const claimed = await this.#store.write(async (tx) => {
      const deliveries = await sqliteQueue.claim(asQueueDb(tx), this.#queues, this.id, max, this.#leaseMs, now);
      const runIds = await runsRepository.start(
        tx,
        deliveries.map((d) => ({ occurrenceId: d.message.occurrenceId, jobName: d.message.jobName, attempt: d.attempt, queue: d.queue })),
        this.id,
        now,
      );
      return deliveries.map((delivery, index) => ({ delivery, runId: runIds[index] ?? -1 }));
    });
    for (const { delivery, runId } of claimed) this.#run(delivery, runId);
    return claimed.length;
  }

  #run(delivery: Delivery, runId: number): void {
    const abort = new AbortController();
    const done = (async () => {
      this.#onEvent({ type: "run-started", job: delivery.message.jobName, runId, attempt: delivery.attempt });
      const outcome = await executeAttempt(delivery, runId, abort.signal, this.#resolveTask);
      this.#report(delivery, runId, outcome);
      this.#completions.push({ delivery, end: outcome.end, retryAt: outcome.retryAt });
      this.#inFlight.delete(delivery.id);
      void this.#scheduleFlush();
      this.notify();
    })();
    this.#inFlight.set(delivery.id, { delivery, runId, abort, done });
  }

  #report(delivery: Delivery, runId: number, outcome: AttemptOutcome): void {
    const job = delivery.message.jobName;
    const { end } = outcome;
    if (end.status === "success") this.#onEvent({ type: "run-succeeded", job, runId, durationMs: outcome.durationMs });
    else if (end.status === "expired") this.#onEvent({ type: "run-expired", job, runId });
    else this.#onEvent({ type: "run-failed", job, runId, attempt: delivery.attempt, error: (end.error ?? "").split("\n")[0] ?? "", retryAt: outcome.retryAt });
  }

  /**
   * Completions are written together: one transaction for everything that ended since the last write.
   * A failed write keeps them and tries again after a growing pause (the store may be restarting).
   */
  #scheduleFlush(): Promise<void> {
    this.#flushing ??= (async () => {
      await Promise.resolve();
      let pause = 50;
      while (this.#completions.length > 0 && !this.#closed) {
        if (await this.#flush()) continue;
        await sleep(pause);
        pause = Math.min(pause * 2, 5_000);
      }
      this.#flushing = null;
    })();
    return this.#flushing;
  }

  /** Writes what has ended; false when the write failed (the completions are kept for the next try). */
  async #flush(): Promise<boolean> {
    const batch = this.#completions;
    if (batch.length === 0) return true;
    this.#completions = [];
    const now = Date.now();
    try {
      await this.#store.write(async (tx) => {
        const queue = asQueueDb(tx);
        await runsRepository.finish(tx, batch.map((c) => c.end), now);
        await sqliteQueue.complete(queue, batch.filter((c) => c.retryAt === null).map((c) => c.delivery.id), this.id);
        for (const c of batch) if (c.retryAt !== null) await sqliteQueue.retryAt(queue, c.delivery.id, this.id, c.retryAt);
      });
    } catch (error) {
      // Keep them: the next flush tries again; if this process dies, the leases run out and the messages return.
      this.#completions.unshift(...batch);
      this.#onEvent({ type: "worker-error", error });
      return false;
    }
    return true;
  }

  async #renew(): Promise<void> {
    const held = [...this.#inFlight.keys()];
    if (held.length === 0 || this.#closed) return;
    try {
      const kept = new Set(await this.#store.write((tx) => sqliteQueue.renew(asQueueDb(tx), held, this.id, this.#leaseMs, Date.now())));
      for (const id of held) {
        const flight = this.#inFlight.get(id);
        if (!kept.has(id) && flight !== undefined) this.#onEvent({ type: "lease-lost", job: flight.delivery.message.jobName, runId: flight.runId });
      }
    } catch (error) {
      this.#onEvent({ type: "worker-error", error });
    }
  }
}
