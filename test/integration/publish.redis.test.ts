import type { Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { BullmqTaskQueue } from "../../src/broker/bullmq/bullmq-task-queue.ts";
import { connectionOf } from "../../src/broker/bullmq/connection.ts";
import { jobIdOf } from "../../src/broker/bullmq/job-id.ts";
import { migrateOutbox, outbox, type OutboxSchema } from "../../src/broker/bullmq/outbox.ts";
import { OutboxPublisher } from "../../src/broker/bullmq/publisher.ts";
import type { EnqueueRequest } from "../../src/broker/message.ts";
import { ManualClock } from "../../src/scheduler/clock.ts";
import type { Store } from "../../src/store/store.ts";
import { inspectQueue, jobCount } from "../support/bullmq.ts";
import { dropPrefix, REDIS_SUITE_NOTE, redisAt, redisUp, testPrefix } from "../support/redis.ts";
import { openTempStore } from "../support/store.ts";

const DUE = Date.UTC(2026, 10, 29, 3, 0, 0);

function request(jobName: string, occurrenceId: number, extra: Partial<EnqueueRequest> = {}): EnqueueRequest {
  return {
    queue: "default",
    priority: 0,
    availableAt: DUE,
    dueAt: DUE,
    origin: "schedule",
    message: { occurrenceId, jobName, module: "/m.js", task: "t", args: [], kwargs: null, retries: null, timeout: null, expiresAt: null },
    ...extra,
  };
}

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A SQLite store with the outbox, a prefix of its own on the test Redis, and a way to look at its queue. */
async function setUp() {
  const temp = await openTempStore();
  await migrateOutbox(temp.store.db);
  const prefix = testPrefix();
  const redis = redisAt(prefix);
  const queue = inspectQueue(redis);
  cleanups.push(async () => {
    await queue.close();
    await dropPrefix(prefix);
    await temp.cleanup();
  });
  const publisher = (port?: number, extra: Partial<ConstructorParameters<typeof OutboxPublisher>[0]> = {}): OutboxPublisher => {
    const at = port === undefined ? redis : redisAt(prefix, port);
    const made = new OutboxPublisher({ store: temp.store, connection: connectionOf(at), prefix, clock: new ManualClock(DUE), ...extra });
    cleanups.push(() => made.close());
    return made;
  };
  return { store: temp.store, queue, publisher, redis };
}

/** What the scheduler does: the outbox rows in a transaction; committed() after it. */
async function dispatch(store: Store, publisher: OutboxPublisher, requests: readonly EnqueueRequest[]): Promise<void> {
  const taskQueue = new BullmqTaskQueue(publisher);
  await store.write((tx) => taskQueue.enqueue(tx, requests, DUE));
  taskQueue.committed();
}

describe.skipIf(!redisUp)(`publishing to BullMQ through the outbox${REDIS_SUITE_NOTE}`, () => {
  it("publishes each occurrence as one job whose id is the occurrence's key", async () => {
    const { store, queue, publisher } = await setUp();
    const sender = publisher();
    await dispatch(store, sender, [request("nightly", 1), request("hourly", 2)]);
    await sender.flush();
    const job = await queue.getJob(`nightly@${String(DUE)}`);
    expect(job?.data).toMatchObject({ occurrenceId: 1, jobName: "nightly" });
    expect(job?.name).toBe("nightly");
    expect(await jobCount(queue)).toBe(2);
    expect(await outbox.unpublishedCount(store.db)).toBe(0);
  });

  it("adding the same occurrence again (a crash before it was marked, a second scheduler) leaves one job", async () => {
    const { store, queue, publisher } = await setUp();
    const first = publisher();
    await dispatch(store, first, [request("nightly", 1)]);
    await first.flush();
    // As if the process died between the add and the mark: the row is unpublished again.
    await (store.db as unknown as Kysely<OutboxSchema>).updateTable("bullmq_outbox").set({ published_at: null }).execute();
    const second = publisher();
    second.start();
    await second.flush();
    await first.flush();
    expect(await jobCount(queue)).toBe(1);
  });

  it("encodes job names so that BullMQ takes every id and no two occurrences share one", async () => {
    const names = ["a:b", "a@1", "123", "a", "a b/ü"];
    const ids = names.flatMap((name) => [jobIdOf(request(name, 1)), jobIdOf(request(name, 1, { origin: "manual" }))]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).not.toMatch(/:|^\d+$/);
    const { store, queue, publisher } = await setUp();
    const sender = publisher();
    await dispatch(store, sender, names.map((name, index) => request(name, index + 1)));
    await sender.flush();
    expect(await jobCount(queue)).toBe(names.length);
  });

  it("puts a queue whose name holds a ':' (BullMQ's key separator) under its percent-encoded name", async () => {
    const { store, publisher, redis } = await setUp();
    const sender = publisher();
    await dispatch(store, sender, [request("nightly", 1, { queue: "reports:daily" })]);
    await sender.flush();
    const reports = inspectQueue(redis, "reports%3Adaily");
    expect(await jobCount(reports)).toBe(1);
    await reports.close();
  });

  it("keeps occurrences in the outbox while Redis is unreachable and publishes them once it can", async () => {
    const { store, queue, publisher } = await setUp();
    const errors: unknown[] = [];
    const unreachable = publisher(1, { attemptTimeoutMs: 300, maxBackoffMs: 100, location: "redis://127.0.0.1:1/0", onError: (error) => errors.push(error) });
    await dispatch(store, unreachable, [request("nightly", 1), request("hourly", 2)]);
    await expect.poll(() => errors.length, { timeout: 10_000 }).toBeGreaterThan(1);
    // Which Redis, and why: the connection's own failure, told at once, then with each add that gives up.
    expect((errors[0] as Error).message).toBe("Redis at redis://127.0.0.1:1/0: connect ECONNREFUSED 127.0.0.1:1; occurrences wait in the store's outbox until it answers");
    expect(errors.filter((error) => (error as Error).message.includes("outbox until"))).toHaveLength(1);
    expect((errors.at(-1) as Error).message).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:1\/0 did not answer within 300 ms: connect ECONNREFUSED 127\.0\.0\.1:1$/);
    expect(await outbox.unpublishedCount(store.db)).toBe(2);
    await unreachable.close();
    expect(await jobCount(queue)).toBe(0);

    const recovering = publisher();
    recovering.start(); // the recovery pass at start
    await expect.poll(() => jobCount(queue), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => outbox.unpublishedCount(store.db)).toBe(0);
  });

  it("a health check of an unreachable Redis fails within 2 s, saying why, while adds wait their longer time", async () => {
    const { publisher } = await setUp();
    const unreachable = publisher(1, { attemptTimeoutMs: 60_000, location: "redis://127.0.0.1:1/0" });
    const started = Date.now();
    await expect(unreachable.ping()).rejects.toThrow(/^Redis at redis:\/\/127\.0\.0\.1:1\/0 did not answer within 2000 ms/);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it("closes at once while Redis is unreachable, leaving the rows for the next start", async () => {
    const { store, publisher } = await setUp();
    const stuck = publisher(1, { attemptTimeoutMs: 60_000 });
    await dispatch(store, stuck, [request("nightly", 1)]);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the add is waiting for a connection
    const started = Date.now();
    await stuck.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await outbox.unpublishedCount(store.db)).toBe(1);
  });

  it("sends again a job Redis lost while its run is unfinished, and not one whose run finished", async () => {
    const { store, queue, publisher } = await setUp();
    const sender = publisher(undefined, { republishAfterMs: 0 });
    await dispatch(store, sender, [request("lost", 1), request("done", 2)]);
    await sender.flush();
    await queue.obliterate({ force: true }); // Redis restarted without persistence
    await store.write((tx) => outbox.removeAll(tx, [`done@${String(DUE)}`])); // its worker recorded the end
    sender.recover();
    await expect.poll(async () => (await queue.getJob(`lost@${String(DUE)}`)) !== undefined, { timeout: 10_000 }).toBe(true);
    expect(await jobCount(queue)).toBe(1);
  });

  it("maps priority (higher first), countdown (a delay) and retries (attempts) onto the job", async () => {
    const { store, queue, publisher } = await setUp();
    const sender = publisher();
    const later = request("later", 1, { availableAt: DUE + 60_000, priority: 5 });
    const retried = request("retried", 2, { message: { ...request("retried", 2).message, retries: 2 } });
    await dispatch(store, sender, [later, retried]);
    await sender.flush();
    const delayed = await queue.getJob(jobIdOf(later));
    expect(delayed?.opts.delay).toBe(60_000);
    expect(await delayed?.getState()).toBe("delayed");
    expect((await queue.getJob(jobIdOf(retried)))?.opts.attempts).toBe(3);
    expect(delayed?.opts.priority).toBeLessThan((await queue.getJob(jobIdOf(retried)))?.opts.priority ?? 0);
  });
});
