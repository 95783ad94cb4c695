import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/scheduler/clock.ts";
import { openSqliteStore } from "../../src/store/sqlite/open.ts";
import type { Store } from "../../src/store/store.ts";
import { bullmqScheduler, bullmqWorker, inspectQueue, jobCount, workerJob } from "../support/bullmq.ts";
import { dropPrefix, REDIS_SUITE_NOTE, redisAt, redisUp, testPrefix } from "../support/redis.ts";
import { openTempStore } from "../support/store.ts";

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const JOBS = 20;
const ROUNDS = 10;

/** Occurrences of the ledger that are not exactly once, and each occurrence's runs that succeeded. */
async function ledger(store: Store) {
  const repeated = await sql<{ n: number }>`select count(*) as n from (select job_name, due_at from occurrences group by job_name, due_at having count(*) > 1)`.execute(store.db);
  const successes = await sql<{ occurrence_id: number; n: number }>`select occurrence_id, count(*) as n from runs where status = 'success' group by occurrence_id`.execute(store.db);
  const occurrences = await store.db.selectFrom("occurrences").select("id").execute();
  return { repeated: repeated.rows[0]?.n ?? -1, successes: successes.rows, occurrences: occurrences.length };
}

describe.skipIf(!redisUp)(`exactly once through BullMQ${REDIS_SUITE_NOTE}`, () => {
  it("two schedulers on one SQLite store and one Redis: every occurrence once in the ledger, in Redis and in the runs", async () => {
    const temp = await openTempStore();
    const other = await openSqliteStore(temp.path); // the second scheduler's own connection, as another process's
    const prefix = testPrefix();
    const redis = redisAt(prefix);
    const start = Date.now();
    const clocks = [new ManualClock(start), new ManualClock(start)];
    const first = await bullmqScheduler(temp.store, redis, clocks[0] as ManualClock);
    const definitions = Array.from({ length: JOBS }, (_, i) => workerJob(`job-${String(i)}`, "add", { timing: "every 1 minute", options: { args: [i, 1] } }));
    await first.scheduler.define(definitions, "file:shared.yaml");
    const second = await bullmqScheduler(other, redis, clocks[1] as ManualClock);
    const { worker } = bullmqWorker(temp.store, redis, { concurrency: 8 });
    const queue = inspectQueue(redis);
    cleanups.push(async () => {
      await worker.stop(0);
      await first.close();
      await second.close();
      await queue.close();
      await other.close();
      await dropPrefix(prefix);
      await temp.cleanup();
    });

    for (let round = 0; round < ROUNDS; round++) {
      for (const clock of clocks) clock.advance(60_000);
      await Promise.all([first.scheduler.tick(), second.scheduler.tick()]);
    }
    await Promise.all([first.publisher.flush(), second.publisher.flush()]);

    const expected = JOBS * ROUNDS;
    await expect.poll(async () => (await ledger(temp.store)).successes.length, { timeout: 30_000, interval: 50 }).toBe(expected);
    const { repeated, successes, occurrences } = await ledger(temp.store);
    expect(occurrences).toBe(expected);
    expect(repeated).toBe(0);
    expect(successes.every((row) => row.n === 1)).toBe(true);
    expect(await jobCount(queue)).toBe(expected);
    expect((await queue.getCompleted(0, -1)).length).toBe(expected);
    const runs = await temp.store.db.selectFrom("runs").select("status").execute();
    expect(runs.length).toBe(expected); // one attempt each, none run twice
  });
});
