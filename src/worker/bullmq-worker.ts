import { DelayedError, Job, Queue, UnrecoverableError, Worker, type ConnectionOptions } from "bullmq";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { bullmqQueueName, redisNamed } from "../broker/bullmq/connection.ts";
import type { TaskMessage } from "../broker/message.ts";
import { interruptedEnd } from "../store/runs.ts";
import type { Store } from "../store/store.ts";
import { executeAttempt, type AttemptOutcome } from "./attempt.ts";
import type { WorkerEvent } from "./events.ts";
import { explainJobError } from "./bullmq-errors.ts";
import { watchLeases, type LoopWatch } from "./loop-watch.ts";
import { RunAbort } from "./run-abort.ts";
import { RunRecorder, type RecordedAttempt } from "./run-recorder.ts";
import type { TaskResolver } from "./task-resolver.ts";

export interface BullmqWorkerOptions {
  /** Where runs are recorded: any store, on any machine that reaches it. */
  readonly store: Store;
  readonly connection: ConnectionOptions;
  /** BullMQ's key prefix: the scheduler's. */
  readonly prefix: string;
  /** Redis's URL without its password, for messages. */
  readonly location?: string;
  readonly resolveTask: TaskResolver;
  /** Queues served; one BullMQ Worker each. Default `["default"]`. */
  readonly queues?: readonly string[];
  /** Tasks run at once, per queue. Default 4. */
  readonly concurrency?: number;
  /** BullMQ's lock on a running job; a job whose worker stops renewing it (died) runs again after it. Default 30 s. */
  readonly lockMs?: number;
  readonly workerId?: string;
  readonly onEvent?: (event: WorkerEvent) => void;
}

/** A failed attempt after which another follows: BullMQ's backoff strategy reads the instant from it. */
class RetryLaterError extends Error {
  override readonly name = "RetryLaterError";
  constructor(
    message: string,
    readonly retryAt: number,
  ) {
    super(message);
  }
}

interface InFlight {
  readonly run: RecordedAttempt;
  readonly job: Job<TaskMessage>;
  /** The lock BullMQ gave this worker on the job. */
  readonly token: string | undefined;
  /**
   * The task's own (a signal shared by all tasks would keep every listener a task forgets to remove,
   * for the worker's lifetime).
   */
  readonly abort: RunAbort;
  /** Given up by stop(): recorded there, so not when it ends. */
  abandoned: boolean;
}

const FINAL_STATUSES: readonly string[] = ["success", "failure", "expired"];

/**
 * Runs tasks from BullMQ queues and records every attempt in the store, behind the tasks (a task is
 * acknowledged to BullMQ when it ends; its end is written with the next batch, see RunRecorder).
 * Concurrency, locks and their renewal, and redelivery of a dead worker's jobs are BullMQ's; whether a failed attempt is retried,
 * and when, is the task's (executeAttempt decides, as on the embedded queue): a retry is a thrown
 * error whose backoff the worker's strategy reads, the last failure an UnrecoverableError.
 */
export class BullmqWorker {
  readonly id: string;
  readonly #options: BullmqWorkerOptions;
  readonly #onEvent: (event: WorkerEvent) => void;
  readonly #inFlight = new Set<InFlight>();
  /** The store's writes, behind the tasks and in batches (see RunRecorder); a new one at each start. */
  #recorder: RunRecorder;
  #workers: Worker<TaskMessage>[] = [];
  #loopWatch: LoopWatch | null = null;
  #onDrained: (() => void) | null = null;

  constructor(options: BullmqWorkerOptions) {
    this.#options = options;
    this.#onEvent = options.onEvent ?? (() => undefined);
    this.id = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    this.#recorder = this.#newRecorder();
  }

  get running(): number {
    return this.#inFlight.size;
  }

  start(): void {
    if (this.#workers.length > 0) return;
    this.#recorder = this.#newRecorder();
    const lockMs = this.#options.lockMs ?? 30_000;
    // BullMQ renews the locks from the event loop, every half lock.
    this.#loopWatch = watchLeases(lockMs, () => this.#inFlight.size, this.#onEvent);
    for (const queue of new Set(this.#options.queues ?? ["default"])) {
      const worker = new Worker<TaskMessage>(bullmqQueueName(queue), (job, token) => this.#process(job, queue, token), {
        connection: this.#options.connection,
        prefix: this.#options.prefix,
        concurrency: Math.max(1, this.#options.concurrency ?? 4),
        lockDuration: lockMs,
        stalledInterval: lockMs,
        // As on the embedded queue, a job whose worker died always runs again (the attempt counted);
        // BullMQ's default would fail it after one stall, leaving its run "started" in the store.
        maxStalledCount: Number.MAX_SAFE_INTEGER,
        name: this.id,
        settings: {
          backoffStrategy: (_attemptsMade, _type, error) => (error instanceof RetryLaterError ? Math.max(0, error.retryAt - Date.now()) : 1_000),
        },
      });
      // Redis going away is reported, not fatal: BullMQ reconnects and carries on.
      const redis = redisNamed(this.#options.location);
      worker.on("error", (error) => {
        this.#onEvent({ type: "worker-error", error: new Error(`${redis}: ${explainJobError(error.message) ?? error.message}`, { cause: error }) });
      });
      this.#workers.push(worker);
    }
  }

  #newRecorder(): RunRecorder {
    return new RunRecorder(this.#options.store, this.id, {
      onError: (error) => {
        this.#onEvent({ type: "worker-error", error });
      },
      onRecovered: () => {
        this.#onEvent({ type: "worker-recovered", what: `The store ${this.#options.store.location}` });
      },
    });
  }

  /** BullMQ workers are woken by Redis itself; kept so both workers have one shape. */
  notify(): void {
    // nothing to do
  }

  /**
   * Takes no new jobs, lets running tasks finish for up to `graceMs`, then gives up on the rest: their
   * runs are recorded as interrupted and their jobs go back to BullMQ for another worker (the attempt is
   * counted in the store; BullMQ does not count it as a failure).
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.#workers.length === 0) return;
    const workers = this.#workers;
    this.#workers = [];
    this.#loopWatch?.stop();
    await Promise.all(workers.map((worker) => worker.pause(true)));
    const graceOver = new AbortController();
    await Promise.race([this.#drained(), sleep(graceMs, undefined, { signal: graceOver.signal }).catch(() => undefined)]);
    graceOver.abort();
    const abandoned = [...this.#inFlight];
    for (const flight of abandoned) {
      flight.abandoned = true;
      flight.abort.abort(new Error("the worker is shutting down"));
    }
    const now = Date.now();
    for (const flight of abandoned) {
      // Waits for the write once 5,000 ends are pending, and fails if close() gives up: reported there.
      this.#recorder.end(flight.run, interruptedEnd(flight.run.runId, flight.run.jobName), now, null).catch(() => undefined);
    }
    // Written before the jobs go back: the worker that takes one next reads where its occurrence stands.
    // With the store away this gives up after a few seconds (reported): the publisher records those ends.
    await this.#recorder.close();
    await Promise.all(workers.map((worker) => worker.close(abandoned.length > 0)));
    await this.#giveBack(abandoned);
  }

  /**
   * Hands abandoned jobs back to BullMQ without counting a failed attempt (a job with no retries left
   * would end there, never finished): another worker takes each at once, rather than when this one's
   * lock runs out. Through a connection of its own, once this worker's BullMQ Workers are closed (so
   * that none of them takes the job again); the lock's token proves the job is still ours.
   */
  async #giveBack(abandoned: readonly InFlight[]): Promise<void> {
    if (abandoned.length === 0) return;
    const queues = new Map<string, Queue<TaskMessage>>();
    try {
      await Promise.all(
        abandoned.map(async ({ job, token }) => {
          let queue = queues.get(job.queueName);
          if (queue === undefined) {
            queue = new Queue<TaskMessage>(job.queueName, { connection: this.#options.connection, prefix: this.#options.prefix });
            queue.on("error", () => undefined); // reported by the failed move below
            queues.set(job.queueName, queue);
          }
          const held = await Job.fromId<TaskMessage>(queue, job.id ?? "");
          await held?.moveToDelayed(Date.now(), token);
        }),
      );
    } catch (error) {
      this.#onEvent({ type: "worker-error", error }); // the jobs come back once their locks run out
    } finally {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
    }
  }

  async #process(job: Job<TaskMessage>, queue: string, token: string | undefined): Promise<string | null> {
    const message = job.data;
    const jobId = job.id ?? "";
    const run = await this.#begin(job, queue);
    if (run === null) return null;
    const { runId } = run;
    const flight: InFlight = { run, job, token, abort: new RunAbort(), abandoned: false };
    this.#inFlight.add(flight);
    try {
      this.#onEvent({ type: "run-started", job: message.jobName, runId, attempt: run.attempt });
      const outcome = await executeAttempt({ id: 0, queue, message, attempt: run.attempt }, runId, flight.abort, this.#options.resolveTask);
      if (flight.abandoned) throw new DelayedError(); // stop() recorded it and gave the job back: BullMQ lets it be
      // Written behind (see RunRecorder); the run over, the outbox need not keep the occurrence any more.
      await this.#recorder.end(run, outcome.end, Date.now(), outcome.retryAt === null ? jobId : null);
      this.#report(message.jobName, run.attempt, runId, outcome);
      const { end } = outcome;
      if (end.status === "success" || end.status === "expired") return end.result;
      const error = end.error ?? "failed";
      if (outcome.retryAt !== null) throw new RetryLaterError(error, outcome.retryAt);
      throw new UnrecoverableError(error);
    } finally {
      this.#inFlight.delete(flight);
      if (this.#inFlight.size === 0) this.#onDrained?.();
    }
  }

  /** Resolves once no task is running. */
  #drained(): Promise<void> {
    if (this.#inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#onDrained = () => {
        this.#onDrained = null;
        resolve();
      };
    });
  }

  /**
   * The attempt's run. A first delivery carries the run dispatch wrote: nothing to read. Anything else
   * (a retry, a job redelivered after its worker died, one re-sent after Redis lost it, a message from
   * before runs were carried) asks the store for the occurrence's latest attempt; null when that one
   * has ended for good (the occurrence must not run again).
   */
  async #begin(job: Job<TaskMessage>, queue: string): Promise<RecordedAttempt | null> {
    const message = job.data;
    const startedAt = Date.now();
    const known = { occurrenceId: message.occurrenceId, jobName: message.jobName, queue };
    if (message.runId !== undefined && job.attemptsStarted <= 1) return this.#recorder.begin({ ...known, runId: message.runId, attempt: 1 }, startedAt);
    const last = await this.#recorder.latestAttempt(message.occurrenceId);
    if (last !== undefined && FINAL_STATUSES.includes(last.status)) {
      await this.#recorder.removeFromOutbox(job.id ?? "");
      return null;
    }
    if (last?.status === "pending" && job.attemptsStarted <= 1) return this.#recorder.begin({ ...known, runId: last.runId, attempt: 1 }, startedAt);
    // Dispatch wrote a run with the occurrence, in the scheduler's store: none here means this worker
    // was given another store. Nothing is inserted; the recorder reports the end instead of writing it.
    if (last === undefined && message.runId !== undefined) return this.#recorder.begin({ ...known, runId: message.runId, attempt: Math.max(1, job.attemptsStarted) }, startedAt);
    // The store's count goes on where a job re-sent after Redis lost it starts again at 1; BullMQ's
    // attemptsStarted also counts starts whose worker died (stalled jobs), as the embedded queue does.
    const afterStored = last === undefined || last.status === "pending" ? 1 : last.attempt + 1;
    const attempt = Math.max(1, job.attemptsStarted, afterStored);
    return this.#recorder.insertStart({ ...known, attempt }, startedAt);
  }

  #report(job: string, attempt: number, runId: number, outcome: AttemptOutcome): void {
    const { end } = outcome;
    if (end.status === "success") this.#onEvent({ type: "run-succeeded", job, runId, durationMs: outcome.durationMs });
    else if (end.status === "expired") this.#onEvent({ type: "run-expired", job, runId });
    else this.#onEvent({ type: "run-failed", job, runId, attempt, error: (end.error ?? "").split("\n")[0] ?? "", retryAt: outcome.retryAt });
  }
}
