import { afterEach, describe, expect, it } from "vitest";
import { openPostgresStore, type PostgresStore } from "../../src/store/postgres/open.ts";
import { writeEverySecondSchedule } from "../support/every-second.ts";
import { readLedger } from "../support/ledger.ts";
import { dropSchema, freshSchema, postgresUrl, skipWithoutPostgres } from "../support/postgres.ts";
import { killOnCleanup, startOrchestra, type RunningProcess } from "../support/process.ts";
import { dropPrefix, REDIS_SUITE_NOTE, redisUp, redisUrl, testPrefix } from "../support/redis.ts";
import { tempDir } from "../support/store.ts";

skipWithoutPostgres();

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

describe.skipIf(!redisUp)(`two \`orchestra run\` on PostgreSQL and Redis, a worker process beside them${REDIS_SUITE_NOTE}`, () => {
  it("dispatch and run every occurrence exactly once, and when one scheduler is killed the other carries on", async () => {
    const dir = tempDir();
    const schema = freshSchema("ha");
    const prefix = testPrefix();
    cleanups.push(async () => {
      await dropPrefix(prefix);
      await dropSchema(schema);
      dir.cleanup();
    });
    const { schedule } = writeEverySecondSchedule(dir.path);
    const locations = ["--broker", redisUrl(prefix), "--backend", postgresUrl(schema)];
    const start = async (args: readonly string[]): Promise<RunningProcess> => {
      const started = killOnCleanup(cleanups, startOrchestra([...args, ...locations]));
      await expect.poll(() => started.output(), { timeout: 15_000, interval: 20 }).toMatch(/Store: |serving default/);
      return started;
    };
    const first = await start(["run", schedule, "--no-worker", "--no-ui"]);
    const reader: PostgresStore = await openPostgresStore(postgresUrl(schema));
    cleanups.push(() => reader.close());
    const ledger = () => readLedger(reader);
    const dispatched = async () => (await ledger()).occurrences.length;
    await expect.poll(dispatched, { timeout: 15_000, interval: 50 }).toBeGreaterThanOrEqual(1);
    const second = await start(["run", schedule, "--no-worker", "--no-ui"]);
    const worker = await start(["worker", "--schedule", schedule]);
    const together = await dispatched();
    await expect.poll(dispatched, { timeout: 15_000, interval: 50 }).toBeGreaterThanOrEqual(together + 3);

    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    const killedAt = await dispatched();
    await expect.poll(dispatched, { timeout: 10_000, interval: 50 }).toBeGreaterThanOrEqual(killedAt + 3);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    // Every run recorded before the worker goes: nothing is left pending.
    await expect.poll(async () => (await ledger()).runs.filter((run) => run.status !== "success").length, { timeout: 15_000, interval: 50 }).toBe(0);
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);

    const { occurrences, runs } = await ledger();
    // Every second from the first due instant to the last, once: none lost to the kill, none doubled by two schedulers.
    const dues = occurrences.map((row) => row.due_at);
    const firstDue = dues[0] ?? 0;
    expect(dues).toEqual(dues.map((_, index) => firstDue + index * 1000));
    expect(occurrences.every((row) => row.outcome === "dispatched")).toBe(true);
    // One run each, its first attempt, succeeded on the worker process.
    expect(runs.map((run) => [run.occurrence_id, run.attempt, run.status])).toEqual(occurrences.map((row) => [row.id, 1, "success"]));
    expect(new Set(runs.map((run) => run.worker_id)).size).toBe(1);
  }, 60_000);
});
