import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from "bullmq";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { bullmqQueueName } from "../broker/bullmq/connection.ts";
import { outbox } from "../broker/bullmq/outbox.ts";
import type { TaskMessage } from "../broker/message.ts";
import { WriteBatcher } from "../store/write-batcher.ts";
import { runsRepository } from "../store/runs.ts";
import type { Store } from "../store/store.ts";
import { executeAttempt, type AttemptOutcome } from "./attempt.ts";
import type { WorkerEvent } from "./events.ts";
import type { TaskResolver } from "./task-resolver.ts";

export interface BullmqWorkerOptions {
  /** Where runs are recorded: any store, on any machine that reaches it. */
  readonly store: Store;
  readonly connection: ConnectionOptions;
  /** BullMQ's key prefix: the scheduler's. */
  readonly prefix: string;
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
  readonly jobName: string;
  readonly runId: number;
  readonly abort: AbortController;
  readonly done: Promise<unknown>;
  /** Given up by stop(): recorded there, so not when it ends. */
  abandoned: boolean;
}

const FINAL_STATUSES: readonly string[] = ["success", "failure", "expired"];

/**
 * Runs tasks from BullMQ queues and records every attempt in the store. Concurrency, locks and their
 * renewal, and redelivery of a dead worker's jobs are BullMQ's; whether a failed attempt is retried,
 * and when, is the task's (executeAttempt decides, as on the embedded queue): a retry is a thrown
 * error whose backoff the worker's strategy reads, the last failure an UnrecoverableError.
 */
export class BullmqWorker {
  readonly id: string;
  readonly #options: BullmqWorkerOptions;
  readonly #onEvent: (event: WorkerEvent) => void;
  readonly #inFlight = new Set<InFlight>();
  /** Starts and ends of the tasks running at once share transactions (see WriteBatcher). */
  readonly #writes: WriteBatcher;
  #workers: Worker<TaskMessage>[] = [];

  constructor(options: BullmqWorkerOptions) {
    this.#options = options;
    this.#onEvent = options.onEvent ?? (() => undefined);
    this.#writes = new WriteBatcher(options.store);
    this.id = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  }

  get running(): number {
    return this.#inFlight.size;
  }

  start(): void {
    if (this.#workers.length > 0) return;
    const lockMs = this.#options.lockMs ?? 30_000;
    for (const queue of new Set(this.#options.queues ?? ["default"])) {
      const worker = new Worker<TaskMessage>(bullmqQueueName(queue), (job) => this.#process(job, queue), {
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
      worker.on("error", (error) => {
        this.#onEvent({ type: "worker-error", error });
      });
      this.#workers.push(worker);
    }
  }

  /** BullMQ workers are woken by Redis itself; kept so both workers have one shape. */
  notify(): void {
    // nothing to do
  }

  /**
   * Takes no new jobs, lets running tasks finish for up to `graceMs`, then gives up on the rest: their
   * runs are recorded as interrupted and BullMQ hands their jobs to another worker once their lock runs
   * out (the attempt is counted).
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.#workers.length === 0) return;
    const workers = this.#workers;
    this.#workers = [];
    await Promise.all(workers.map((worker) => worker.pause(true)));
    const graceOver = new AbortController();
    await Promise.race([
      Promise.allSettled([...this.#inFlight].map((flight) => flight.done)),
      sleep(graceMs, undefined, { signal: graceOver.signal }).catch(() => undefined),
    ]);
    graceOver.abort();
    const abandoned = [...this.#inFlight];
    for (const flight of abandoned) {
      flight.abandoned = true;
      flight.abort.abort(new Error("the worker is shutting down"));
    }
    if (abandoned.length > 0) {
      await this.#options.store.write((tx) =>
        runsRepository.finish(
          tx,
          abandoned.map((flight) => ({
            runId: flight.runId,
            jobName: flight.jobName,
            status: "retry" as const,
            result: null,
            error: "interrupted: the worker stopped before the task finished",
            errorStack: null,
          })),
          Date.now(),
        ),
      );
    }
    await Promise.all(workers.map((worker) => worker.close(abandoned.length > 0)));
  }

  async #process(job: Job<TaskMessage>, queue: string): Promise<string | null> {
    const message = job.data;
    const jobId = job.id ?? "";
    const last = await this.#lastRun(message.occurrenceId);
    // A second line of defence behind the job id: an occurrence published again after Redis lost or
    // removed (after an hour) its finished job must not run again.
    if (last !== undefined && FINAL_STATUSES.includes(last.status)) {
      await this.#writes.write((tx) => outbox.remove(tx, jobId));
      return null;
    }
    // attemptsStarted also counts starts whose worker died (BullMQ's stalled jobs), as the embedded
    // queue does; the store's count goes on where a job re-sent after Redis lost it starts again at 1.
    const afterStored = last === undefined || last.status === "pending" ? 1 : last.attempt + 1;
    const attempt = Math.max(1, job.attemptsStarted, afterStored);
    const [runId = -1] = await this.#writes.write((tx) =>
      runsRepository.start(tx, [{ occurrenceId: message.occurrenceId, jobName: message.jobName, attempt, queue }], this.id, Date.now()),
    );
    const abort = new AbortController();
    let settle: () => void = () => undefined;
    const flight: InFlight = { jobName: message.jobName, runId, abort, done: new Promise<void>((resolve) => (settle = resolve)), abandoned: false };
    this.#inFlight.add(flight);
    try {
      this.#onEvent({ type: "run-started", job: message.jobName, runId, attempt });
      const outcome = await executeAttempt({ id: 0, queue, message, attempt }, runId, abort.signal, this.#options.resolveTask);
      if (flight.abandoned) throw new Error("interrupted: the worker stopped before the task finished");
      await this.#writes.write(async (tx) => {
        await runsRepository.finish(tx, [outcome.end], Date.now());
        // The run is over: the outbox need not keep the occurrence for a re-publish any more.
        if (outcome.retryAt === null) await outbox.remove(tx, jobId);
      });
      this.#report(message.jobName, attempt, runId, outcome);
      const { end } = outcome;
      if (end.status === "success" || end.status === "expired") return end.result;
      const error = end.error ?? "failed";
      if (outcome.retryAt !== null) throw new RetryLaterError(error, outcome.retryAt);
      throw new UnrecoverableError(error);
    } finally {
      this.#inFlight.delete(flight);
      settle();
    }
  }

  /** The occurrence's latest attempt in the store (the pending run dispatch wrote, at least). */
  #lastRun(occurrenceId: number): Promise<{ attempt: number; status: string } | undefined> {
    return this.#options.store.db
      .selectFrom("runs")
      .select(["attempt", "status"])
      .where("occurrence_id", "=", occurrenceId)
      .orderBy("attempt", "desc")
      .limit(1)
      .executeTakeFirst();
  }

  #report(job: string, attempt: number, runId: number, outcome: AttemptOutcome): void {
    const { end } = outcome;
    if (end.status === "success") this.#onEvent({ type: "run-succeeded", job, runId, durationMs: outcome.durationMs });
    else if (end.status === "expired") this.#onEvent({ type: "run-expired", job, runId });
    else this.#onEvent({ type: "run-failed", job, runId, attempt, error: (end.error ?? "").split("\n")[0] ?? "", retryAt: outcome.retryAt });
  }
}
