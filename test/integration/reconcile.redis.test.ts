import { UnrecoverableError, Worker } from "bullmq";
import type { Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { bullmqQueueName, connectionOf } from "../../src/broker/bullmq/connection.ts";
import type { OutboxSchema } from "../../src/broker/bullmq/outbox.ts";
import type { TaskMessage } from "../../src/broker/message.ts";
import { ManualClock } from "../../src/scheduler/clock.ts";
import type { RunRow } from "../../src/store/schema.ts";
import type { Store } from "../../src/store/store.ts";
import { bullmqScheduler, inspectQueue, workerJob } from "../support/bullmq.ts";
import { dropPrefix, REDIS_SUITE_NOTE, redisAt, redisUp, testPrefix } from "../support/redis.ts";
import { openTempStore } from "../support/store.ts";

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/**
 * A scheduler on a SQLite store and Redis whose publisher looks at the outbox every 50 ms, and a bare
 * BullMQ worker in place of Orchestra's: it finishes jobs in Redis and writes nothing to the store,
 * which is what an Orchestra worker leaves behind when it dies after a task ended and before its
 * batch of ends was written.
 */
async function setUp(processor: (message: TaskMessage) => string) {
  const temp = await openTempStore();
  const prefix = testPrefix();
  const redis = redisAt(prefix);
  const dispatch = await bullmqScheduler(temp.store, redis, new ManualClock(Date.now()), { republishAfterMs: 0, recoverEveryMs: 50 });
  let runs = 0;
  const worker = new Worker<TaskMessage>(
    bullmqQueueName("default"),
    (job) => {
      runs++;
      return Promise.resolve(processor(job.data));
    },
    { connection: connectionOf(redis), prefix, name: "the-worker-that-died" },
  );
  const queue = inspectQueue(redis);
  cleanups.push(async () => {
    await worker.close();
    await dispatch.close();
    await queue.close();
    await dropPrefix(prefix);
    await temp.cleanup();
  });
  return { store: temp.store, scheduler: dispatch.scheduler, queue, runs: () => runs };
}

function runsOf(store: Store): Promise<RunRow[]> {
  return store.db.selectFrom("runs").selectAll().orderBy("id").execute();
}

function outboxSize(store: Store): Promise<number> {
  return (store.db as unknown as Kysely<OutboxSchema>)
    .selectFrom("bullmq_outbox")
    .select("job_id")
    .execute()
    .then((rows) => rows.length);
}

describe.skipIf(!redisUp)(`the publisher, for jobs whose worker died before writing their end${REDIS_SUITE_NOTE}`, () => {
  it("records a job BullMQ completed from BullMQ's job, and does not send it again", async () => {
    const context = await setUp((message) => JSON.stringify(message.args));
    await context.scheduler.add(workerJob("echo", "add", { options: { args: [4, 2] } }), "code");
    await context.scheduler.trigger("echo");
    await expect.poll(async () => (await runsOf(context.store))[0]?.status, { timeout: 10_000, interval: 20 }).toBe("success");
    const [run] = await runsOf(context.store);
    expect(run).toMatchObject({ attempt: 1, result: "[4,2]", error: null, worker_id: "the-worker-that-died" });
    expect(run?.started_at).toBeTypeOf("number");
    expect(run?.finished_at ?? 0).toBeGreaterThanOrEqual(run?.started_at ?? Infinity);
    await expect.poll(() => outboxSize(context.store)).toBe(0);
    expect(context.runs()).toBe(1);
    expect(await context.queue.getJobCounts("wait", "prioritized", "delayed", "active", "completed")).toMatchObject({ completed: 1, wait: 0, prioritized: 0, delayed: 0, active: 0 });
  });

  it("records a job BullMQ failed as a failure with BullMQ's reason", async () => {
    const context = await setUp(() => {
      throw new UnrecoverableError("Error: nope");
    });
    await context.scheduler.add(workerJob("doomed", "add"), "code");
    await context.scheduler.trigger("doomed");
    await expect.poll(async () => (await runsOf(context.store))[0]?.status, { timeout: 10_000, interval: 20 }).toBe("failure");
    expect((await runsOf(context.store))[0]).toMatchObject({ error: "Error: nope", worker_id: "the-worker-that-died" });
    expect((await runsOf(context.store))[0]?.error_stack).toMatch(/UnrecoverableError: Error: nope/);
    await expect.poll(() => outboxSize(context.store)).toBe(0);
    expect(context.runs()).toBe(1);
  });
});
