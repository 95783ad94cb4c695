import type { BrokerLocation } from "../config/locations.ts";
import { OrchestraError } from "../errors/orchestra-error.ts";
import { ErrorCode } from "../errors/error-code.ts";
import type { Clock } from "../scheduler/clock.ts";
import { SqliteStore } from "../store/sqlite/open.ts";
import { storeIdentityOf } from "../store/identity.ts";
import type { Store } from "../store/store.ts";
import { BullmqWorker } from "../worker/bullmq-worker.ts";
import type { WorkerEvent } from "../worker/events.ts";
import { SqliteWorker } from "../worker/sqlite-worker.ts";
import type { TaskResolver } from "../worker/task-resolver.ts";
import { BullmqTaskQueue } from "./bullmq/bullmq-task-queue.ts";
import { connectionOf, redisNamed } from "./bullmq/connection.ts";
import { migrateOutbox } from "./bullmq/outbox.ts";
import { OutboxPublisher } from "./bullmq/publisher.ts";
import { pingSqliteQueue } from "./sqlite/health.ts";
import { migrateSqliteQueue, SqliteTaskQueue } from "./sqlite/sqlite-task-queue.ts";
import type { TaskQueue } from "./task-queue.ts";

/** What every worker offers its owner (the CLI, an Orchestra), whatever queue it reads. */
export interface TaskWorker {
  readonly id: string;
  /** Tasks running now. */
  readonly running: number;
  start(): void;
  /** New work was just dispatched in this process, runnable from `readyAt` (default: now). */
  notify(readyAt?: number): void;
  /** Takes nothing new and gives running tasks up to `graceMs` to finish. */
  stop(graceMs?: number): Promise<void>;
}

export interface WorkerSettings {
  readonly resolveTask: TaskResolver;
  readonly queues?: readonly string[];
  readonly concurrency?: number;
  /** How long a running task stays its worker's without renewal (a lease, or BullMQ's lock). */
  readonly leaseMs?: number;
  readonly onEvent?: (event: WorkerEvent) => void;
}

/** A task queue for the scheduler and workers that read it. */
export interface Broker {
  readonly queue: TaskQueue;
  /** For messages: the file, or the Redis URL without its password. */
  readonly location: string;
  createWorker(settings: WorkerSettings): TaskWorker;
  /** Throws when the queue cannot be reached (health checks). */
  ping(): Promise<void>;
  /**
   * For a process that only runs tasks: throws a configuration error when the schedulers dispatching to
   * this queue record into another store than this broker's (a worker given the wrong --backend).
   */
  verifyStore(): Promise<void>;
  close(): Promise<void>;
}

export interface BrokerOptions {
  /** The scheduler's clock (task delays are counted from it). */
  readonly clock?: Clock;
  /** Whether this process dispatches (publishes the outbox); a worker-only process does not. Default true. */
  readonly dispatch?: boolean;
  /** Failures of the background publishing (Redis unreachable): retried, reported here. */
  readonly onError?: (error: unknown) => void;
  /** Publishing works again after failures: `what` names Redis. */
  readonly onRecovered?: (what: string) => void;
}

/** Opens the broker at a location, on a store already open: the one place that maps locations to brokers. */
export async function openBroker(location: BrokerLocation, store: Store, options: BrokerOptions = {}): Promise<Broker> {
  if (location.kind === "sqlite") {
    if (!(store instanceof SqliteStore)) {
      throw new OrchestraError(ErrorCode.Config, "the embedded SQLite queue lives in the store's file: it needs a SQLite store");
    }
    await migrateSqliteQueue(store);
    return {
      queue: new SqliteTaskQueue(),
      location: store.location,
      createWorker: (settings) => new SqliteWorker({ store, ...settings }),
      ping: () => pingSqliteQueue(store.db),
      verifyStore: () => Promise.resolve(), // the queue is in the store's file
      close: () => Promise.resolve(),
    };
  }
  await migrateOutbox(store.db, store.schema);
  const connection = connectionOf(location);
  const publisher = new OutboxPublisher({
    store,
    connection,
    prefix: location.prefix,
    location: location.display,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.onError === undefined ? {} : { onError: options.onError }),
    ...(options.onRecovered === undefined ? {} : { onRecovered: options.onRecovered }),
  });
  if (options.dispatch ?? true) publisher.start();
  return {
    queue: new BullmqTaskQueue(publisher),
    location: location.display,
    createWorker: ({ leaseMs, ...settings }) =>
      new BullmqWorker({ store, connection, prefix: location.prefix, location: location.display, ...settings, ...(leaseMs === undefined ? {} : { lockMs: leaseMs }) }),
    ping: () => publisher.ping(),
    verifyStore: () => verifyWorkerStore(publisher, store, location.display),
    close: () => publisher.close(),
  };
}

/** How long a starting worker waits for Redis to tell which store its schedulers use (then it starts unchecked). */
const VERIFY_TIMEOUT_MS = 3_000;

async function verifyWorkerStore(publisher: OutboxPublisher, store: Store, redis: string): Promise<void> {
  const marker = await publisher.announcedStore(VERIFY_TIMEOUT_MS);
  if (marker === null || marker.id === (await storeIdentityOf(store.db))) return;
  throw new OrchestraError(
    ErrorCode.Config,
    `this worker would record runs into ${store.location}, but the scheduler dispatching through ${redisNamed(redis)} records into another store, ` +
      `${marker.location}: give the worker the scheduler's --backend (runs recorded anywhere else are never seen by the scheduler)`,
  );
}
