import { Job, Queue, type ConnectionOptions } from "bullmq";
import { setTimeout as sleep } from "node:timers/promises";
import { systemClock, type Clock } from "../../scheduler/clock.ts";
import { storeIdentityOf } from "../../store/identity.ts";
import type { Store } from "../../store/store.ts";
import type { TaskMessage } from "../message.ts";
import { bullmqQueueName, redisNamed } from "./connection.ts";
import { jobOptionsOf } from "./job-options.ts";
import { outbox, type OutboxRow } from "./outbox.ts";
import { recordFinishedJobs, type FinishedJob } from "./reconcile.ts";
import { announcedStore, announceStore, type StoreMarker } from "./store-marker.ts";

export interface PublisherOptions {
  readonly store: Store;
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  /** Reads "now" for delays (availableAt − now): the scheduler's clock. */
  readonly clock?: Clock;
  /** Rows sent per round. Default 500. */
  readonly batchSize?: number;
  /** How often the outbox is looked at without a kick (rows a crashed process left, jobs Redis lost). Default 5 s. */
  readonly recoverEveryMs?: number;
  /** A job published this long ago whose run has not finished is sent again, in case Redis lost it. Default 30 s. */
  readonly republishAfterMs?: number;
  /** A round that does not finish in this long counts as failed (Redis unreachable). Default 10 s. */
  readonly attemptTimeoutMs?: number;
  /** A failed round (Redis down) is retried after 100 ms, doubling up to this. Default 5 s. */
  readonly maxBackoffMs?: number;
  /** Redis's URL without its password, for messages. */
  readonly location?: string;
  readonly onError?: (error: unknown) => void;
  /** A round succeeded after failed ones (Redis is back): told with how messages name Redis. */
  readonly onRecovered?: (what: string) => void;
}

/**
 * Sends the outbox to BullMQ: new rows after each commit (kick), and every few seconds (recovery) the
 * ones left by a crash and those published long ago whose run has not finished, retrying with backoff
 * while Redis is unreachable. A row leaves the outbox only when its run has finished, so an occurrence
 * is never lost; it may be sent more than once (a crash between the add and the mark, two schedulers
 * on one store, a recovery round), which the job id makes a no-op while Redis holds the job.
 */
export class OutboxPublisher {
  readonly #store: Store;
  readonly #connection: ConnectionOptions;
  readonly #prefix: string;
  readonly #clock: Clock;
  readonly #batchSize: number;
  readonly #recoverEveryMs: number;
  readonly #republishAfterMs: number;
  readonly #attemptTimeoutMs: number;
  readonly #maxBackoffMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #onRecovered: (what: string) => void;
  readonly #redis: string;
  /** Redis failed a round since it last answered: the next answer says it is back. */
  #roundFailed = false;
  /** The last failure the Redis connections reported since a round last reached Redis: why an add does not answer. */
  #connectionError: Error | null = null;
  readonly #queues = new Map<string, Queue<TaskMessage>>();
  /** Ends the waits of a closing publisher. */
  readonly #closing = new AbortController();
  #draining: Promise<void> | null = null;
  /** A kick came since the last read of the outbox: its rows may not have been seen yet. */
  #again = false;
  /** The next round also re-sends rows published long ago. */
  #recoverDue = false;
  /** Telling Redis which store this is, apart from the rounds: a dispatch never waits for it. */
  #announcing: Promise<void> | null = null;
  /** This publisher's store, as told to workers in Redis (read once). */
  #marker: StoreMarker | null = null;
  /** Other stores found in the marker: each is reported once. */
  readonly #otherStores = new Set<string>();
  #timer: NodeJS.Timeout | null = null;

  constructor(options: PublisherOptions) {
    this.#store = options.store;
    this.#connection = options.connection;
    this.#prefix = options.prefix;
    this.#clock = options.clock ?? systemClock;
    this.#batchSize = options.batchSize ?? 500;
    this.#recoverEveryMs = options.recoverEveryMs ?? 5_000;
    this.#republishAfterMs = options.republishAfterMs ?? 30_000;
    this.#attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
    this.#maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.#onError = options.onError ?? (() => undefined);
    this.#onRecovered = options.onRecovered ?? (() => undefined);
    this.#redis = redisNamed(options.location);
  }

  /**
   * Starts the recovery timer and sends whatever the outbox holds now. Real time, not the scheduler's
   * clock: it paces talking to Redis, not the schedule.
   */
  start(): void {
    if (this.#timer !== null || this.#closing.signal.aborted) return;
    this.#timer = setInterval(() => {
      this.recover();
    }, this.#recoverEveryMs);
    this.#timer.unref();
    this.recover();
  }

  /** There are new rows (a dispatch committed): send them now. */
  kick(): void {
    if (this.#closing.signal.aborted) return;
    this.#again = true;
    if (this.#draining !== null) return;
    this.#draining = this.#drain().finally(() => {
      this.#draining = null;
      if (this.#again) this.kick();
    });
  }

  /** Sends new rows and, again, those published long ago whose run has not finished; tells Redis again which store this is. */
  recover(): void {
    this.#recoverDue = true;
    this.kick();
    this.#announcing ??= this.#withTimeout(this.#announce())
      .catch(() => undefined) // Redis away: the rounds report it, and the next recovery tries again
      .finally(() => {
        this.#announcing = null;
      });
  }

  /** A round's work with Redis, within the round's time: a failure here is Redis's (not the store's). */
  async #askRedis<T>(work: Promise<T>): Promise<T> {
    try {
      return await this.#withTimeout(work);
    } catch (error) {
      this.#roundFailed = true;
      throw error;
    }
  }

  /** Redis answered: after failures, say it is back, and forget why it did not answer. */
  #reachedRedis(): void {
    if (this.#roundFailed || this.#connectionError !== null) this.#onRecovered(this.#redis);
    this.#roundFailed = false;
    this.#connectionError = null;
  }

  /** Resolves once every row committed before the call has been sent to Redis (or the publisher closes). */
  async flush(): Promise<void> {
    for (;;) {
      this.kick();
      await this.#draining;
      if (this.#closing.signal.aborted || (await outbox.unpublishedCount(this.#store.db)) === 0) return;
    }
  }

  /** Stops sending (rows not sent stay in the outbox for the next start) and closes the Redis connections. */
  async close(): Promise<void> {
    this.#closing.abort();
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.#draining;
    await this.#announcing;
    await Promise.all([...this.#queues.values()].map((queue) => queue.close()));
    this.#queues.clear();
  }

  /**
   * Throws when Redis does not answer a small query within `timeoutMs` (health checks: a probe gives up
   * after a few seconds, and should see the 503, not its own timeout).
   */
  async ping(timeoutMs = 2_000): Promise<void> {
    await this.#withTimeout(
      this.#queue("default")
        .getJobCountByTypes("wait")
        .then(() => undefined),
      timeoutMs,
    );
  }

  /** A method, not the field, so that TypeScript does not take it for unchanged across awaits. */
  #closed(): boolean {
    return this.#closing.signal.aborted;
  }

  async #drain(): Promise<void> {
    let backoff = 100;
    while (!this.#closing.signal.aborted) {
      this.#again = false;
      const recovering = this.#recoverDue;
      this.#recoverDue = false;
      try {
        const sent = (await this.#send(await outbox.unpublished(this.#store.db, this.#batchSize))) + (recovering ? await this.#resendStale() : 0);
        // Only a round that reached Redis can tell that it is back (one with nothing to send did not ask).
        if (sent > 0) this.#reachedRedis();
        backoff = 100;
        if (sent === 0) return; // a kick since the read starts another round
      } catch (error) {
        if (this.#closed()) return; // an add given up because of close(), not a failure
        if (recovering) this.#recoverDue = true;
        this.#onError(error);
        await sleep(backoff, undefined, { signal: this.#closing.signal }).catch(() => undefined);
        backoff = Math.min(backoff * 2, this.#maxBackoffMs);
      }
    }
  }

  /**
   * Tells workers which store this scheduler records into (see store-marker.ts), at start and with each
   * recovery round, so that a Redis that lost its data has it again within seconds. A marker of another
   * store means another deployment uses this prefix, or did before this one: reported once.
   */
  async #announce(): Promise<void> {
    this.#marker ??= { id: await storeIdentityOf(this.#store.db), location: this.#store.location };
    const replaced = await announceStore(await this.#queue("default").client, this.#prefix, this.#marker);
    this.#reachedRedis(); // every few seconds, whether or not there is anything to send
    if (replaced === null || replaced.id === this.#marker.id || this.#otherStores.has(replaced.id)) return;
    this.#otherStores.add(replaced.id);
    this.#onError(
      new Error(
        `the scheduler that last dispatched through ${this.#redis} recorded into another store, ${replaced.location} (this one records into ${this.#store.location}): ` +
          "if both run, give each its own prefix (?prefix=name), for workers take every job under a prefix and record it into their one store",
      ),
    );
  }

  /** The store the dispatching schedulers record into, as they told it in Redis; null when none did, or Redis does not answer within `timeoutMs`. */
  async announcedStore(timeoutMs: number): Promise<StoreMarker | null> {
    try {
      return await this.#withTimeout(this.#queue("default").client.then((client) => announcedStore(client, this.#prefix)), timeoutMs);
    } catch {
      return null; // an unreachable Redis is for the worker itself to report
    }
  }

  /** Rows published long ago whose run has not finished (in the store): see #recover. */
  async #resendStale(): Promise<number> {
    const before = Date.now() - this.#republishAfterMs;
    let seen = 0;
    for (;;) {
      const rows = await outbox.publishedBefore(this.#store.db, before, this.#batchSize);
      await this.#recover(rows, before);
      seen += rows.length;
      if (rows.length < this.#batchSize) return seen;
    }
  }

  /**
   * Asks BullMQ about each row. A job it finished long enough ago is recorded from BullMQ's job (its
   * worker died before writing the end); a job it no longer has is sent again (Redis lost it: a restart
   * without persistence); a job it holds (waiting, running, waiting for a retry) is looked at again later.
   */
  async #recover(rows: readonly OutboxRow[], before: number): Promise<void> {
    if (rows.length === 0) return;
    const states = await this.#askRedis(
      Promise.all(
        rows.map(async (row) => {
          const job = await Job.fromId<TaskMessage>(this.#queue(row.queue), row.job_id);
          return job === undefined ? undefined : { job, state: await job.getState() };
        }),
      ),
    );
    const finished: FinishedJob[] = [];
    const lost: OutboxRow[] = [];
    const held: string[] = [];
    rows.forEach((row, index) => {
      const found = states[index];
      if (found === undefined) lost.push(row);
      else if ((found.state === "completed" || found.state === "failed") && (found.job.finishedOn ?? Infinity) < before) finished.push({ jobId: row.job_id, job: found.job, state: found.state });
      else held.push(row.job_id);
    });
    await this.#store.write(async (tx) => {
      await recordFinishedJobs(tx, finished);
      await outbox.markPublished(tx, held, Date.now());
    });
    await this.#send(lost, true);
  }

  /** Adds the rows' jobs to Redis, then marks them published; returns how many. */
  async #send(rows: readonly OutboxRow[], again = false): Promise<number> {
    if (rows.length === 0) return 0;
    await this.#askRedis(this.#publish(rows, again));
    await this.#store.write((tx) =>
      outbox.markPublished(
        tx,
        rows.map((row) => row.job_id),
        Date.now(),
      ),
    );
    return rows.length;
  }

  /**
   * A job sent again goes without its run id: its first attempt may have run already (Redis lost the
   * job after it finished, or while it waited for a retry), so the worker asks the store where the
   * occurrence stands before it runs anything.
   */
  async #publish(rows: readonly OutboxRow[], again: boolean): Promise<void> {
    const now = this.#clock.now();
    const byQueue = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const list = byQueue.get(row.queue);
      if (list === undefined) byQueue.set(row.queue, [row]);
      else list.push(row);
    }
    await Promise.all(
      [...byQueue].map(async ([name, list]) => {
        const jobs = list.map((row) => {
          const { runId, ...rest } = JSON.parse(row.payload) as TaskMessage;
          const message: TaskMessage = again || runId === undefined ? rest : { ...rest, runId };
          return {
            name: message.jobName,
            data: message,
            opts: jobOptionsOf({ jobId: row.job_id, rank: row.rank, availableAt: row.available_at, message }, now),
          };
        });
        await this.#queue(name).addBulk(jobs);
      }),
    );
  }

  #queue(name: string): Queue<TaskMessage> {
    let queue = this.#queues.get(name);
    if (queue === undefined) {
      queue = new Queue<TaskMessage>(bullmqQueueName(name), { connection: this.#connection, prefix: this.#prefix });
      // Without a listener an 'error' event (Redis gone) would end the process. The connection reports
      // each try to reconnect, several a second: the first is told at once, the rest by the failed adds.
      queue.on("error", (error) => {
        const first = this.#connectionError === null;
        this.#connectionError = error;
        if (first) this.#onError(new Error(`${this.#redis}: ${error.message}; occurrences wait in the store's outbox until it answers`, { cause: error }));
      });
      this.#queues.set(name, queue);
    }
    return queue;
  }

  /**
   * An add to an unreachable Redis may wait for the reconnection for long: give up and retry the round.
   * Closing gives up at once (the rows stay unpublished for the next start).
   */
  async #withTimeout<T>(work: Promise<T>, timeoutMs = this.#attemptTimeoutMs): Promise<T> {
    const cancel = new AbortController();
    const onClose = (): void => {
      cancel.abort();
    };
    this.#closing.signal.addEventListener("abort", onClose, { once: true });
    try {
      const timeout = sleep(timeoutMs, undefined, { signal: cancel.signal }).then(
        (): never => {
          const why = this.#connectionError === null ? "" : `: ${this.#connectionError.message}`;
          throw new Error(`${this.#redis} did not answer within ${String(timeoutMs)} ms${why}`);
        },
        (): Promise<never> => {
          if (this.#closing.signal.aborted) throw new Error("the publisher closed before Redis answered");
          return new Promise<never>(() => undefined); // cancelled because the work ended first: the race is settled
        },
      );
      return await Promise.race([work, timeout]);
    } finally {
      this.#closing.signal.removeEventListener("abort", onClose);
      cancel.abort();
    }
  }
}
