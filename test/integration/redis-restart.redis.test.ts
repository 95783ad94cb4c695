import { spawnSync } from "node:child_process";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { BullmqTaskQueue } from "../../src/broker/bullmq/bullmq-task-queue.ts";
import { connectionOf } from "../../src/broker/bullmq/connection.ts";
import { migrateOutbox } from "../../src/broker/bullmq/outbox.ts";
import { OutboxPublisher } from "../../src/broker/bullmq/publisher.ts";
import { ManualClock } from "../../src/scheduler/clock.ts";
import { Scheduler } from "../../src/scheduler/scheduler.ts";
import { bullmqScheduler, bullmqWorker, inspectQueue, jobCount, workerJob } from "../support/bullmq.ts";
import { PrivateRedis, REDIS_SUITE_NOTE, redisAt, redisUp, testPrefix } from "../support/redis.ts";
import { openTempStore, tempDir } from "../support/store.ts";

const serverInstalled = spawnSync("redis-server", ["--version"]).status === 0;

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const JOBS = 10;
const ROUNDS = 12;
/** A port of its own: restarting the shared Redis would cut off the suites running beside this one. */
const PORT = 6391;

describe.skipIf(!redisUp || !serverInstalled)(`Redis restarting mid-run${REDIS_SUITE_NOTE}`, () => {
  it("loses no occurrence and runs none twice: the outbox re-sends what the empty Redis lost", async () => {
    const dir = tempDir();
    const redisServer = new PrivateRedis(PORT, dir.path);
    const temp = await openTempStore();
    cleanups.push(async () => {
      await temp.cleanup();
      dir.cleanup();
    });
    await redisServer.start();
    // Whatever happens below, the private Redis is shut down (and the shared one never touched).
    cleanups.push(() => redisServer.stop());
    const redis = redisAt(testPrefix(), PORT);
    const clock = new ManualClock(Date.now());
    const dispatch = await bullmqScheduler(temp.store, redis, clock, { republishAfterMs: 300, recoverEveryMs: 100 });
    await dispatch.scheduler.define(
      // Half the jobs go to a queue nobody serves before the restart: Redis holds their jobs when it dies.
      Array.from({ length: JOBS }, (_, i) =>
        workerJob(`job-${String(i)}`, "add", { timing: "every 1 minute", options: { args: [i, 1], queue: i % 2 === 0 ? "default" : "later" } }),
      ),
      "file:restart.yaml",
    );
    const { worker, events } = bullmqWorker(temp.store, redis, { concurrency: 4 });
    let late: ReturnType<typeof bullmqWorker> | null = null;
    cleanups.push(async () => {
      await worker.stop(0);
      await late?.worker.stop(0);
      await dispatch.close();
    });

    const round = async (): Promise<void> => {
      clock.advance(60_000);
      await dispatch.scheduler.tick();
    };
    for (let i = 0; i < 4; i++) await round();
    await dispatch.publisher.flush();
    const later = inspectQueue(redis, "later");
    const held = await jobCount(later);
    await later.close();
    expect(held).toBe((JOBS / 2) * 4); // in Redis, not yet run
    await redisServer.stop(); // `redis-cli shutdown nosave`: every job Redis held is gone
    for (let i = 0; i < 4; i++) await round(); // dispatch goes on into the outbox
    await redisServer.start();
    late = bullmqWorker(temp.store, redis, { concurrency: 4, queues: ["later"] });
    for (let i = 0; i < ROUNDS - 8; i++) await round();

    const expected = JOBS * ROUNDS;
    const successes = async () =>
      (await sql<{ n: number }>`select count(distinct occurrence_id) as n from runs where status = 'success'`.execute(temp.store.db)).rows[0]?.n;
    await expect.poll(successes, { timeout: 45_000, interval: 100 }).toBe(expected);
    const perOccurrence = await sql<{ occurrence_id: number; n: number }>`select occurrence_id, count(*) as n from runs group by occurrence_id having count(*) > 1`.execute(temp.store.db);
    expect(perOccurrence.rows).toEqual([]); // one run each: none ran twice
    const occurrences = await temp.store.db.selectFrom("occurrences").select("id").execute();
    expect(occurrences.length).toBe(expected);
    const succeeded = [...events, ...late.events].filter((event) => event.type === "run-succeeded");
    expect(succeeded.length).toBe(expected);
  }, 90_000);

  it("the publisher says once that Redis answers again, after the rounds that failed while it was down", async () => {
    const dir = tempDir();
    const redisServer = new PrivateRedis(PORT, dir.path);
    const temp = await openTempStore();
    cleanups.push(async () => {
      await temp.cleanup();
      dir.cleanup();
    });
    cleanups.push(() => redisServer.stop());
    const redis = redisAt(testPrefix(), PORT);
    const errors: string[] = [];
    const recovered: string[] = [];
    await migrateOutbox(temp.store.db);
    const publisher = new OutboxPublisher({
      store: temp.store,
      connection: connectionOf(redis),
      prefix: redis.prefix,
      location: redis.display,
      attemptTimeoutMs: 300,
      maxBackoffMs: 200,
      onError: (error) => errors.push(String(error)),
      onRecovered: (what) => recovered.push(what),
    });
    cleanups.push(() => publisher.close());
    const scheduler = new Scheduler({ store: temp.store, queue: new BullmqTaskQueue(publisher), clock: new ManualClock(Date.now()) });
    await scheduler.load();
    await scheduler.define([workerJob("job", "add", { timing: "every 1 minute", options: { args: [1, 1] } })], "code");
    publisher.start();
    await scheduler.trigger("job"); // Redis is down: the rounds that send it fail
    await expect.poll(() => errors.length, { timeout: 10_000, interval: 20 }).toBeGreaterThan(2);
    expect(recovered).toEqual([]);
    await redisServer.start();
    await expect.poll(() => recovered, { timeout: 10_000, interval: 20 }).toEqual([`Redis at ${redis.display}`]);
    await publisher.flush();
    expect(recovered).toHaveLength(1);
  }, 30_000);
});
