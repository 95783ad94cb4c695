import type { Kysely } from "kysely";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Delivery } from "../broker/message.ts";
import { sqliteQueue } from "../broker/sqlite/queue.ts";
import { asQueueDb } from "../broker/sqlite/sqlite-task-queue.ts";
import { interruptedEnd, runsRepository, type RunEnd } from "../store/runs.ts";
import { watchLeases, type LoopWatch } from "./loop-watch.ts";
import type { StoreSchema } from "../store/schema.ts";
import type { SqliteStore } from "../store/sqlite/open.ts";
import { executeAttempt, type AttemptOutcome } from "./attempt.ts";
import { RunAbort } from "./run-abort.ts";
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
  readonly abort: RunAbort;
}

interface Completion {
  readonly delivery: Delivery;
  readonly end: RunEnd;
  /** When set, the message goes back to the queue for another attempt at this instant. */
  readonly retryAt: number | null;
}

/** running: claims and runs; draining: claims nothing, lets running tasks end and records them; stopped. */
type Phase = "running" | "draining" | "stopped";

/**
 * Runs tasks from the embedded SQLite queue. Claims only as many messages as it has free slots (no
 * prefetch to strand) and renews their leases while they run. Its loop writes once per cycle: one
 * transaction records every attempt that ended since the last one (with its message's removal or
 * return) and claims the next messages, so the write lock, which every process on the file shares,
 * is taken once per batch of tasks rather than twice per task.
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
  #phase: Phase = "stopped";
  #loop: Promise<void> | null = null;
  #renewTimer: NodeJS.Timeout | null = null;
  #loopWatch: LoopWatch | null = null;
  #wake: (() => void) | null = null;
  #wakeTimer: NodeJS.Timeout | null = null;
  #wakeTimerAt = 0;
  /** Set when there may be work before the loop next waits: a wake that came while it was busy is not lost. */
  #woken = false;

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
    if (this.#loop !== null) return;
    this.#phase = "running";
    this.#renewTimer = setInterval(() => void this.#renew(), Math.max(100, this.#leaseMs / 3));
    this.#renewTimer.unref();
    // Leases are renewed from the event loop (every third of a lease): a hold of half a lease risks them.
    this.#loopWatch = watchLeases(this.#leaseMs, () => this.#inFlight.size, this.#onEvent);
    this.#loop = this.#run();
  }

  /**
   * There may be new work (the scheduler in this process just dispatched): look now rather than at the
   * next poll — or at `readyAt`, when the message was sent ahead of its due instant.
   */
  notify(readyAt?: number): void {
    if (readyAt !== undefined && readyAt > Date.now()) {
      this.#wakeAt(readyAt);
      return;
    }
    this.#woken = true;
    this.#wake?.();
  }

  /** One timer, for the earliest instant asked: a crowd of messages due together sets it once. */
  #wakeAt(instant: number): void {
    if (this.#wakeTimer !== null && this.#wakeTimerAt <= instant) return;
    if (this.#wakeTimer !== null) clearTimeout(this.#wakeTimer);
    this.#wakeTimerAt = instant;
    this.#wakeTimer = setTimeout(() => {
      this.#wakeTimer = null;
      this.notify();
    }, instant - Date.now());
    this.#wakeTimer.unref();
  }

  /**
   * Stops claiming, lets running tasks finish for up to `graceMs` (recording each as it ends), then
   * gives the rest back to the queue (their attempt stays counted: they did start).
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.#loop === null) return;
    if (this.#phase === "running") this.#phase = "draining";
    this.notify();
    const graceOver = new AbortController();
    await Promise.race([this.#loop, sleep(graceMs, undefined, { signal: graceOver.signal }).catch(() => undefined)]);
    graceOver.abort();
    this.#phase = "stopped";
    this.notify();
    await this.#loop;
    if (this.#renewTimer !== null) clearInterval(this.#renewTimer);
    this.#loopWatch?.stop();
    if (this.#wakeTimer !== null) clearTimeout(this.#wakeTimer);
    this.#wakeTimer = null;
    const abandoned = [...this.#inFlight.values()];
    for (const flight of abandoned) flight.abort.abort(new Error("the worker is shutting down"));
    await this.#store.write(async (tx) => {
      await this.#recordEnded(tx, this.#completions.splice(0));
      const queue = asQueueDb(tx);
      const now = Date.now();
      for (const { delivery } of abandoned) await sqliteQueue.retryAt(queue, delivery.id, this.id, now);
      await runsRepository.finish(
        tx,
        abandoned.map(({ delivery, runId }) => interruptedEnd(runId, delivery.message.jobName)),
        now,
      );
    });
    this.#inFlight.clear();
    this.#loop = null;
  }

  async #run(): Promise<void> {
    let pause = 50;
    for (;;) {
      const claimable = this.#phase === "running" ? this.#concurrency - this.#inFlight.size : 0;
      if (this.#phase === "stopped" || (this.#phase === "draining" && this.#inFlight.size === 0 && this.#completions.length === 0)) return;
      this.#takeWake(); // the cycle below sees whatever the wake was for
      let claimed = 0;
      if (claimable > 0 || this.#completions.length > 0) {
        try {
          claimed = await this.#cycle(claimable);
          pause = 50;
        } catch (error) {
          // Nothing of the cycle was written; the ended attempts are kept for the next one. If this
          // process dies instead, the leases run out and the messages are delivered again.
          this.#onEvent({ type: "worker-error", error });
          await this.#idle(pause);
          pause = Math.min(pause * 2, 5_000);
          continue;
        }
      }
      // A full claim means more is probably waiting: let the tasks just started run (trivial ones end
      // within this turn), then write their ends together with the next claim.
      if (claimed > 0 && claimed === claimable) await new Promise((resolve) => setImmediate(resolve));
      else if (!this.#takeWake() && this.#completions.length === 0) await this.#idle(this.#pollMs);
    }
  }

  /** One transaction: record what ended, claim up to `max` messages and mark their attempts started. */
  async #cycle(max: number): Promise<number> {
    const ended = this.#completions;
    this.#completions = [];
    const now = Date.now();
    let claimed;
    try {
      claimed = await this.#store.write(async (tx) => {
        await this.#recordEnded(tx, ended);
        const deliveries = await sqliteQueue.claim(asQueueDb(tx), this.#queues, this.id, max, this.#leaseMs, now);
        const runIds = await runsRepository.start(
          tx,
          deliveries.map((d) => ({ occurrenceId: d.message.occurrenceId, jobName: d.message.jobName, attempt: d.attempt, queue: d.queue })),
          this.id,
          now,
        );
        return deliveries.map((delivery, index) => ({ delivery, runId: runIds[index] ?? -1 }));
      });
    } catch (error) {
      this.#completions = [...ended, ...this.#completions]; // not written: they go with the next cycle
      throw error;
    }
    for (const { delivery, runId } of claimed) this.#start(delivery, runId);
    return claimed.length;
  }

  /** Records attempts' ends and removes their messages, or returns them to the queue for a retry. */
  async #recordEnded(tx: Kysely<StoreSchema>, ended: readonly Completion[]): Promise<void> {
    if (ended.length === 0) return;
    const queue = asQueueDb(tx);
    await runsRepository.finish(tx, ended.map((c) => c.end), Date.now());
    await sqliteQueue.complete(queue, ended.filter((c) => c.retryAt === null).map((c) => c.delivery.id), this.id);
    for (const c of ended) if (c.retryAt !== null) await sqliteQueue.retryAt(queue, c.delivery.id, this.id, c.retryAt);
  }

  /** Whether notify() was called since the last look, and forgets it. */
  #takeWake(): boolean {
    const woken = this.#woken;
    this.#woken = false;
    return woken;
  }

  /** Waits `ms`, or less when notify() is called. */
  async #idle(ms: number): Promise<void> {
    const woken = new AbortController();
    this.#wake = () => {
      woken.abort();
    };
    await sleep(ms, undefined, { signal: woken.signal }).catch(() => undefined);
    this.#wake = null;
  }

  #start(delivery: Delivery, runId: number): void {
    const abort = new RunAbort();
    this.#inFlight.set(delivery.id, { delivery, runId, abort });
    void (async () => {
      this.#onEvent({ type: "run-started", job: delivery.message.jobName, runId, attempt: delivery.attempt });
      const outcome = await executeAttempt(delivery, runId, abort, this.#resolveTask);
      if (abort.aborted && this.#phase === "stopped") return; // given back by stop(): recorded there
      this.#report(delivery, runId, outcome);
      this.#completions.push({ delivery, end: outcome.end, retryAt: outcome.retryAt });
      this.#inFlight.delete(delivery.id);
      this.notify();
    })();
  }

  #report(delivery: Delivery, runId: number, outcome: AttemptOutcome): void {
    const job = delivery.message.jobName;
    const { end } = outcome;
    if (end.status === "success") this.#onEvent({ type: "run-succeeded", job, runId, durationMs: outcome.durationMs });
    else if (end.status === "expired") this.#onEvent({ type: "run-expired", job, runId });
    else this.#onEvent({ type: "run-failed", job, runId, attempt: delivery.attempt, error: (end.error ?? "").split("\n")[0] ?? "", retryAt: outcome.retryAt });
  }

  async #renew(): Promise<void> {
    const held = [...this.#inFlight.keys()];
    if (held.length === 0 || this.#phase === "stopped") return;
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
