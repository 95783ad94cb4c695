import { Queue } from "bullmq";
import { fileURLToPath } from "node:url";
import { BullmqTaskQueue } from "../../src/broker/bullmq/bullmq-task-queue.ts";
import { connectionOf } from "../../src/broker/bullmq/connection.ts";
import { migrateOutbox } from "../../src/broker/bullmq/outbox.ts";
import { OutboxPublisher } from "../../src/broker/bullmq/publisher.ts";
import type { RedisLocation } from "../../src/config/locations.ts";
import type { JobDefinition } from "../../src/jobs/definition.ts";
import { ManualClock } from "../../src/scheduler/clock.ts";
import { Scheduler } from "../../src/scheduler/scheduler.ts";
import type { Store } from "../../src/store/store.ts";
import { taskOptionsOf, type AnyFunction } from "../../src/tasks/task.ts";
import { BullmqWorker } from "../../src/worker/bullmq-worker.ts";
import type { WorkerEvent } from "../../src/worker/events.ts";
import type { TaskResolver } from "../../src/worker/task-resolver.ts";

export const WORKER_TASKS = fileURLToPath(new URL("../fixtures/worker/tasks.mjs", import.meta.url));

export const resolveTask: TaskResolver = async (module, name) => {
  const exports = (await import(module)) as Record<string, AnyFunction>;
  const fn = exports[name];
  if (fn === undefined) throw new Error(`no task ${name}`);
  return { fn, options: taskOptionsOf(fn, name) };
};

export function workerJob(name: string, task: string, extra: Partial<JobDefinition> = {}): JobDefinition {
  return { name, module: WORKER_TASKS, task, timing: "every 1 hour", timezone: "UTC", tags: [], options: {}, missed: "once", maxCatchup: 100, ...extra };
}

/** A scheduler dispatching through BullMQ on a store, driven by a ManualClock; `close` stops it. */
export async function bullmqScheduler(
  store: Store,
  redis: RedisLocation,
  clock: ManualClock,
  publisherOptions: { republishAfterMs?: number; recoverEveryMs?: number; onRecovered?: (what: string) => void } = {},
) {
  await migrateOutbox(store.db);
  const publisher = new OutboxPublisher({ store, connection: connectionOf(redis), prefix: redis.prefix, clock, maxBackoffMs: 200, attemptTimeoutMs: 2_000, ...publisherOptions });
  publisher.start();
  const scheduler = new Scheduler({ store, queue: new BullmqTaskQueue(publisher), clock });
  await scheduler.load();
  return {
    scheduler,
    publisher,
    close: async () => {
      await scheduler.stop();
      await publisher.close();
    },
  };
}

/** A BullMQ worker recording into `store`; its events are collected. */
export function bullmqWorker(store: Store, redis: RedisLocation, extra: { concurrency?: number; lockMs?: number; queues?: readonly string[] } = {}) {
  const events: WorkerEvent[] = [];
  const worker = new BullmqWorker({ store, connection: connectionOf(redis), prefix: redis.prefix, resolveTask, onEvent: (e) => events.push(e), ...extra });
  worker.start();
  return { worker, events };
}

/** The test's view of a BullMQ queue under its prefix. */
export function inspectQueue(redis: RedisLocation, name = "default"): Queue {
  return new Queue(name, { connection: connectionOf(redis), prefix: redis.prefix });
}

export async function jobCount(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts();
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
