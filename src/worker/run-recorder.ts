import type { Kysely } from "kysely";
import { outbox } from "../broker/bullmq/outbox.ts";
import { runsRepository, type LatestAttempt, type RunEnd, type RunRecord, type RunStart } from "../store/runs.ts";
import type { StoreSchema } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import type { Instant } from "../timing/time.ts";

/** An attempt under way whose run row exists (dispatch wrote it, or `insertStart` did). */
export interface RecordedAttempt {
  readonly runId: number;
  readonly occurrenceId: number;
  /** 1 for the first. */
  readonly attempt: number;
  readonly jobName: string;
  readonly queue: string;
  readonly startedAt: Instant;
}

interface Waiter<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
}

interface Ending {
  readonly run: RecordedAttempt;
  readonly record: RunRecord;
  /** The outbox row to remove with the record: the occurrence's run is over. */
  readonly outboxJobId: string | null;
}

/** What the next transaction writes. */
class Batch {
  readonly lookups = new Map<number, Waiter<LatestAttempt | undefined>[]>();
  readonly inserts: { readonly start: RunStart; readonly at: Instant; readonly waiter: Waiter<number> }[] = [];
  endings: Ending[] = [];
  removals: string[] = [];
  starts: RecordedAttempt[] = [];
  /** Told once this batch is written (flush(), and ends held back while the store is behind). */
  written: Waiter<void>[] = [];

  /** Someone awaits a result: write it now rather than with the next timed batch. */
  get urgent(): boolean {
    return this.lookups.size > 0 || this.inserts.length > 0 || this.written.length > 0;
  }

  get empty(): boolean {
    return !this.urgent && this.endings.length === 0 && this.removals.length === 0 && this.starts.length === 0;
  }

  get size(): number {
    return this.endings.length + this.removals.length + this.starts.length;
  }

  /** The writes of a batch that failed go first into this one (nothing is lost while the store is away). */
  takeBack(failed: Batch): void {
    this.endings = [...failed.endings, ...this.endings];
    this.removals = [...failed.removals, ...this.removals];
    this.starts = [...failed.starts, ...this.starts];
    this.written = [...failed.written, ...this.written];
  }
}

export interface RunRecorderOptions {
  /**
   * A task still running this long after it started has its start written (the live table and the API
   * show it running); one that ends sooner is written once, start and end together. Default 100 ms.
   */
  readonly startDelayMs?: number;
  /**
   * Ended attempts are written at most this long after they end. Default 100 ms: with four workers
   * on one SQLite file, 20 ms batches cost 10 % more CPU per task (more transactions, more waits for
   * the file's lock) for 5 % fewer tasks a second; 250 ms batches hold the event loop too long.
   */
  readonly flushEveryMs?: number;
  /** With this many writes pending (the store is slow or away), an ending task waits for its write. Default 5,000. */
  readonly highWaterMark?: number;
  /** A write that failed (it is tried again). */
  readonly onError?: (error: unknown) => void;
  /** A write succeeded after failed ones: the store is back. */
  readonly onRecovered?: () => void;
}

/**
 * A BullMQ worker's writes to the store, behind its tasks: how attempts ended is written in batches,
 * every `flushEveryMs`, one set-based statement per kind of write. A task is acknowledged to BullMQ as
 * soon as it ends: per-task transactions, or tasks waiting for a shared one, bounded a worker at a
 * fifth of raw BullMQ's rate (a batch could never hold more than the worker's concurrency).
 *
 * A worker that dies with writes pending loses nothing for good: BullMQ keeps each finished job (an
 * hour), and the outbox keeps the occurrence until its end is written, so the scheduler's publisher
 * records the end from BullMQ's job (see OutboxPublisher). A start is written only for a task that runs
 * longer than `startDelayMs`; a worker that dies before that leaves the run pending, and the
 * redelivered attempt marks it interrupted (runsRepository.start).
 */
export class RunRecorder {
  readonly #store: Store;
  readonly #workerId: string;
  readonly #startDelayMs: number;
  readonly #flushEveryMs: number;
  readonly #highWaterMark: number;
  readonly #onError: (error: unknown) => void;
  readonly #onRecovered: () => void;
  /** Attempts under way whose start is not written yet (at most the worker's concurrency). */
  readonly #running = new Set<RecordedAttempt>();
  #batch = new Batch();
  #flushing: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #startTimer: NodeJS.Timeout | null = null;
  /** Failed writes in a row: the pause before the next try doubles with each. */
  #failures = 0;
  #closed = false;
  /** Closed with writes left that the store did not take: nothing more is tried. */
  #abandoned = false;
  /** The batch a write is under way for. */
  #writing: Batch | null = null;

  constructor(store: Store, workerId: string, options: RunRecorderOptions = {}) {
    this.#store = store;
    this.#workerId = workerId;
    this.#startDelayMs = options.startDelayMs ?? 100;
    this.#flushEveryMs = options.flushEveryMs ?? 100;
    this.#highWaterMark = options.highWaterMark ?? 5_000;
    this.#onError = options.onError ?? (() => undefined);
    this.#onRecovered = options.onRecovered ?? (() => undefined);
  }

  /** The occurrence's latest attempt in the store, read with the other callers' in the next batch. */
  latestAttempt(occurrenceId: number): Promise<LatestAttempt | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.#batch.lookups.get(occurrenceId);
      if (waiters === undefined) this.#batch.lookups.set(occurrenceId, [{ resolve, reject }]);
      else waiters.push({ resolve, reject });
      this.#schedule();
    });
  }

  /** An attempt begins whose run row exists: nothing is written until it ends or runs long. */
  begin(start: Omit<RecordedAttempt, "startedAt">, startedAt: Instant): RecordedAttempt {
    const run: RecordedAttempt = { ...start, startedAt };
    this.#running.add(run);
    this.#armStartTimer();
    return run;
  }

  /** An attempt begins that has no row yet (a retry, a redelivery): its start is inserted (the task is told its run id). */
  async insertStart(start: RunStart, at: Instant): Promise<RecordedAttempt> {
    const runId = await new Promise<number>((resolve, reject) => {
      this.#batch.inserts.push({ start, at, waiter: { resolve, reject } });
      this.#schedule();
    });
    return { ...start, runId, startedAt: at };
  }

  /**
   * How an attempt ended, written with the next batch (with the removal of the outbox row, if given).
   * Resolves at once, unless the store is behind: then once written.
   */
  end(run: RecordedAttempt, end: RunEnd, finishedAt: Instant, outboxJobId: string | null): Promise<void> {
    this.#running.delete(run);
    this.#batch.endings.push({ run, record: { ...end, occurrenceId: run.occurrenceId, startedAt: run.startedAt, finishedAt }, outboxJobId });
    return this.#accepted();
  }

  /** The occurrence's run is already over (a job published again): only its outbox row goes. */
  removeFromOutbox(jobId: string): Promise<void> {
    this.#batch.removals.push(jobId);
    return this.#accepted();
  }

  /** Resolves once everything given before the call is written. */
  flush(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#batch.written.push({ resolve, reject });
      this.#schedule();
    });
  }

  /**
   * Writes what is pending and stops: call after the last task ended. If the store cannot be reached,
   * gives up after a few tries or `timeoutMs`, whichever comes first (reported): the publisher records
   * those ends from BullMQ's jobs. A worker that is told to stop must stop, store or no store.
   */
  async close(timeoutMs = 5_000): Promise<void> {
    if (this.#startTimer !== null) clearTimeout(this.#startTimer);
    this.#startTimer = null;
    this.#running.clear();
    this.#closed = true;
    const written = this.flush().then(
      () => true,
      () => true, // given up after failed tries, and reported
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => {
        resolve(false);
      }, timeoutMs);
    });
    if (!(await Promise.race([written, late])) && !this.#abandoned) this.#giveUp();
    clearTimeout(timer);
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #accepted(): Promise<void> {
    if (this.#batch.size < this.#highWaterMark) {
      this.#schedule();
      return Promise.resolve();
    }
    return this.flush();
  }

  /** A write as soon as possible when someone awaits it, else within `flushEveryMs`. */
  #schedule(): void {
    if (this.#abandoned) return;
    if (this.#flushing !== null) return; // the running flush looks at the batch again when it is done
    if (this.#batch.urgent && this.#failures === 0) {
      if (this.#timer !== null) clearTimeout(this.#timer);
      this.#timer = null;
      this.#flushing = this.#flushLoop();
    } else if (this.#timer === null && !this.#batch.empty) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        if (this.#flushing === null) this.#flushing = this.#flushLoop();
      }, this.#pauseMs());
    }
  }

  #pauseMs(): number {
    return this.#failures === 0 ? this.#flushEveryMs : Math.min(5_000, 100 * 2 ** (this.#failures - 1));
  }

  async #flushLoop(): Promise<void> {
    // Let the callers of this turn of the event loop join the batch.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      for (;;) {
        this.#batch.starts.push(...this.#dueStarts());
        const batch = this.#batch;
        if (batch.empty) return;
        this.#batch = new Batch();
        this.#writing = batch;
        const written = await this.#write(batch).finally(() => {
          this.#writing = null;
        });
        if (this.#abandoned) {
          // Closed meanwhile, and given up on (reported): a failed write is not tried again.
          if (!written) for (const waiter of batch.written) waiter.reject(new Error("the recorder closed before the store answered"));
          return;
        }
        if (written) {
          if (this.#failures > 0) this.#onRecovered();
          this.#failures = 0;
        }
        else {
          // Kept for the next try, after a pause that grows with each failure (see #schedule).
          this.#failures++;
          this.#batch.takeBack(batch);
          if (this.#closed && this.#failures >= 3) this.#giveUp();
          return;
        }
        if (!this.#batch.urgent) return; // the rest goes with the next timed batch
      }
    } finally {
      this.#flushing = null;
      this.#schedule();
      this.#armStartTimer();
    }
  }

  /** Closing with the store away: the publisher records these ends from BullMQ's jobs instead. */
  #giveUp(): void {
    this.#abandoned = true;
    const lost = this.#batch;
    this.#batch = new Batch();
    const unwritten = lost.endings.length + (this.#writing?.endings.length ?? 0);
    const error = new Error(`the store could not be reached to record ${String(unwritten)} ended runs; they are recorded from BullMQ's jobs later`);
    this.#onError(error);
    for (const waiter of lost.written) waiter.reject(error);
  }

  /** Attempts running longer than the delay whose start is not written yet: taken out of the waiting set. */
  #dueStarts(): RecordedAttempt[] {
    const before = Date.now() - this.#startDelayMs;
    const due = [...this.#running].filter((run) => run.startedAt <= before);
    for (const run of due) this.#running.delete(run);
    return due;
  }

  /** One transaction for the whole batch. Returns whether it was written; lookups and inserts fail with it. */
  async #write(batch: Batch): Promise<boolean> {
    const now = Date.now();
    let latest = new Map<number, LatestAttempt>();
    let insertedIds: number[] = [];
    try {
      await this.#store.write(async (tx) => {
        // Ends first: a lookup in the same batch then sees them.
        await this.#recordEndings(tx, batch.endings, now);
        const removed = [...batch.endings.flatMap((ending) => (ending.outboxJobId === null ? [] : [ending.outboxJobId])), ...batch.removals];
        await outbox.removeAll(tx, removed);
        await runsRepository.markStarted(tx, batch.starts, this.#workerId);
        insertedIds = await runsRepository.start(
          tx,
          batch.inserts.map((insert) => ({ ...insert.start, startedAt: insert.at })),
          this.#workerId,
          now,
        );
        latest = await runsRepository.latestAttempts(tx, [...batch.lookups.keys()]);
      });
    } catch (error) {
      // The store's own message may say it "gave up": this worker has not, and says so.
      const why = error instanceof Error ? error.message : String(error);
      this.#onError(new Error(`${why}; this worker keeps the runs that ended and writes them once the store answers`, { cause: error }));
      for (const waiters of batch.lookups.values()) for (const waiter of waiters) waiter.reject(error);
      for (const insert of batch.inserts) insert.waiter.reject(error);
      return false;
    }
    for (const [occurrenceId, waiters] of batch.lookups) for (const waiter of waiters) waiter.resolve(latest.get(occurrenceId));
    batch.inserts.forEach((insert, index) => {
      insert.waiter.resolve(insertedIds[index] ?? -1);
    });
    for (const waiter of batch.written) waiter.resolve();
    return true;
  }

  /**
   * Writes the ended attempts onto their runs. One whose run already ended is an occurrence that ran
   * again (Redis lost its finished job and the outbox sent it anew): it is recorded as a further attempt,
   * so that the ledger shows every run there was. One whose occurrence this store has never seen was
   * dispatched by a scheduler recording into another store: it is reported, not written here (the
   * scheduler's publisher records it from BullMQ's job).
   */
  async #recordEndings(tx: Kysely<StoreSchema>, endings: readonly Ending[], now: Instant): Promise<void> {
    if (endings.length === 0) return;
    const written = new Set(await runsRepository.record(tx, endings.map((ending) => ending.record), this.#workerId));
    const ended = endings.filter((ending) => !written.has(ending.record.runId));
    if (ended.length === 0) return;
    const latest = await runsRepository.latestAttempts(tx, ended.map((ending) => ending.run.occurrenceId));
    const again = ended.filter((ending) => latest.has(ending.run.occurrenceId));
    if (again.length < ended.length) this.#onError(this.#elsewhere());
    if (again.length === 0) return;
    const next = new Map<number, number>();
    const starts = again.map(({ run }) => {
      const attempt = (next.get(run.occurrenceId) ?? latest.get(run.occurrenceId)?.attempt ?? 0) + 1;
      next.set(run.occurrenceId, attempt);
      return { occurrenceId: run.occurrenceId, jobName: run.jobName, attempt, queue: run.queue, startedAt: run.startedAt };
    });
    const ids = await runsRepository.start(tx, starts, this.#workerId, now);
    await runsRepository.record(
      tx,
      again.map((ending, index) => ({ ...ending.record, runId: ids[index] ?? -1 })),
      this.#workerId,
    );
  }

  /**
   * Ends of occurrences this store does not hold: the worker and the scheduler use different stores.
   * The same words each time, so that a log shows it once in a while, not once per batch.
   */
  #elsewhere(): Error {
    return new Error(
      `runs ended whose occurrences are not in this worker's store ${this.#store.location}: the scheduler that dispatched them ` +
        "records into another store. Give the worker the scheduler's --backend; until then their ends are not written here " +
        "(the scheduler records them from BullMQ's finished jobs)",
    );
  }

  /** One timer for all running attempts: it fires when the oldest unwritten start is due. */
  #armStartTimer(): void {
    if (this.#startTimer !== null || this.#running.size === 0 || this.#closed) return;
    const oldest = Math.min(...[...this.#running].map((run) => run.startedAt));
    this.#startTimer = setTimeout(
      () => {
        this.#startTimer = null;
        this.#batch.starts.push(...this.#dueStarts());
        this.#schedule();
        this.#armStartTimer();
      },
      Math.max(0, oldest + this.#startDelayMs - Date.now()),
    );
    this.#startTimer.unref();
  }
}
