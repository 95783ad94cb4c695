import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock, Orchestra, type OrchestraEvent } from "../../src/index.ts";
import { openPostgresStore } from "../../src/store/postgres/open.ts";
import type { Store } from "../../src/store/store.ts";
import { bullmqScheduler, bullmqWorker, inspectQueue, jobCount, workerJob } from "../support/bullmq.ts";
import { dropSchema, freshSchema, postgresUrl, skipWithoutPostgres } from "../support/postgres.ts";
import { dropPrefix, REDIS_SUITE_NOTE, redisAt, redisUp, redisUrl, testPrefix } from "../support/redis.ts";
import { tempDir } from "../support/store.ts";

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** The distributed pair: tasks through BullMQ on Redis, jobs, occurrences and runs in PostgreSQL. */
describe.skipIf(!redisUp)(`Redis broker with a PostgreSQL store${REDIS_SUITE_NOTE}`, () => {
  skipWithoutPostgres();

  it("the Orchestra class dispatches through BullMQ and keeps jobs and runs in PostgreSQL", async () => {
    const dir = tempDir();
    const prefix = testPrefix();
    const schema = freshSchema("pair");
    cleanups.push(async () => {
      await dropPrefix(prefix);
      await dropSchema(schema);
      dir.cleanup();
    });
    writeFileSync(join(dir.path, "tasks.mjs"), "export function work(n) { return n * 2; }\n");
    const clock = new ManualClock(Date.now());
    const events: OrchestraEvent[] = [];
    const orchestra = new Orchestra({ broker: redisUrl(prefix), backend: postgresUrl(schema), clock, onEvent: (e) => events.push(e) });
    cleanups.push(() => orchestra.stop(0));
    await orchestra.scheduleTask({ name: "double", module: join(dir.path, "tasks.mjs"), task: "work", timing: "every 1 minute", options: { args: [21] } });
    const running = orchestra.run();
    await orchestra.triggerJob("double");
    clock.advance(60_000);
    await expect.poll(async () => (await orchestra.getRuns("double")).filter((run) => run.status === "success").length, { timeout: 15_000, interval: 20 }).toBe(2);
    expect((await orchestra.getRuns("double")).map((run) => run.result)).toEqual(["42", "42"]);
    expect(await orchestra.health()).toMatchObject({ ok: true, store: { ok: true }, broker: { ok: true } });
    await orchestra.stop(1_000);
    await running;
  });

  it("two schedulers on one PostgreSQL store and one Redis: every occurrence once in the ledger, in Redis and in the runs", async () => {
    const schema = freshSchema("pair_once");
    const prefix = testPrefix();
    const redis = redisAt(prefix);
    const stores: Store[] = [await openPostgresStore(postgresUrl(schema)), await openPostgresStore(postgresUrl(schema))];
    const [storeA, storeB] = stores as [Store, Store];
    const start = Date.now();
    const clocks = [new ManualClock(start), new ManualClock(start)] as const;
    const first = await bullmqScheduler(storeA, redis, clocks[0]);
    const definitions = Array.from({ length: 10 }, (_, i) => workerJob(`job-${String(i)}`, "add", { timing: "every 1 minute", options: { args: [i, 1] } }));
    await first.scheduler.define(definitions, "file:shared.yaml");
    const second = await bullmqScheduler(storeB, redis, clocks[1]);
    const { worker } = bullmqWorker(storeA, redis, { concurrency: 8 });
    const queue = inspectQueue(redis);
    cleanups.push(async () => {
      await worker.stop(0);
      await first.close();
      await second.close();
      await queue.close();
      for (const store of stores) await store.close();
      await dropPrefix(prefix);
      await dropSchema(schema);
    });

    for (let round = 0; round < 5; round++) {
      for (const clock of clocks) clock.advance(60_000);
      await Promise.all([first.scheduler.tick(), second.scheduler.tick()]);
    }
    await Promise.all([first.publisher.flush(), second.publisher.flush()]);

    const expected = 10 * 5;
    const successes = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from runs where status = 'success'`.execute(storeA.db)).rows[0]?.n ?? -1;
    await expect.poll(successes, { timeout: 30_000, interval: 50 }).toBe(expected);
    const repeated = await sql<{ n: number }>`select count(*)::int as n from (select job_name, due_at from occurrences group by job_name, due_at having count(*) > 1) as twice`.execute(storeA.db);
    expect(repeated.rows[0]?.n).toBe(0);
    expect((await storeA.db.selectFrom("occurrences").select("id").execute()).length).toBe(expected);
    expect((await storeA.db.selectFrom("runs").select("id").execute()).length).toBe(expected); // one attempt each
    expect(await jobCount(queue)).toBe(expected);
  });
});
