import type { Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { migrateOutbox, outbox, type OutboxSchema } from "../../src/broker/bullmq/outbox.ts";
import type { JobDefinition } from "../../src/jobs/definition.ts";
import { jobsRepository } from "../../src/store/jobs.ts";
import type { RunEnd } from "../../src/store/runs.ts";
import type { RunRow, StoreSchema } from "../../src/store/schema.ts";
import type { Store } from "../../src/store/store.ts";
import { RunRecorder, type RecordedAttempt } from "../../src/worker/run-recorder.ts";
import { openTempStore } from "../support/store.ts";

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A real SQLite store whose transactions are counted, which fails the next `failNext` of them, and whose writes never answer while `hang` is set (a server that does not answer). */
async function setUp() {
  const temp = await openTempStore();
  cleanups.push(temp.cleanup);
  await migrateOutbox(temp.store.db);
  const counts = { transactions: 0, failNext: 0, hang: false };
  const store: Store = {
    dialect: temp.store.dialect,
    db: temp.store.db,
    location: temp.store.location,
    close: () => temp.store.close(),
    write<T>(work: (db: Kysely<StoreSchema>) => Promise<T>): Promise<T> {
      counts.transactions++;
      if (counts.hang) return new Promise<T>(() => undefined);
      if (counts.failNext > 0) {
        counts.failNext--;
        return Promise.reject(new Error("the store is away"));
      }
      return temp.store.write(work);
    },
  };
  return { store, counts };
}

/** Pending runs as dispatch writes them (first attempts), with their outbox rows; returns their ids. */
async function pendingRuns(store: Store, count: number, firstOccurrence = 1): Promise<number[]> {
  const ids: number[] = [];
  await store.write(async (tx) => {
    for (let k = 0; k < count; k++) {
      const occurrenceId = firstOccurrence + k;
      const row = await tx
        .insertInto("runs")
        .values({ occurrence_id: occurrenceId, job_name: "j", attempt: 1, status: "pending", queue: "default", worker_id: null, enqueued_at: 1, started_at: null, finished_at: null, result: null, error: null, error_stack: null })
        .returning("id")
        .executeTakeFirstOrThrow();
      ids.push(row.id);
    }
    await outbox.add(
      tx,
      ids.map((_, k) => ({ job_id: `j@${String(firstOccurrence + k)}`, queue: "default", priority: 0, rank: null, available_at: 1, payload: "{}", created_at: 1 })),
    );
  });
  return ids;
}

const success = (runId: number, result: string): RunEnd => ({ runId, jobName: "j", status: "success", result, error: null, errorStack: null });

function definition(name: string): JobDefinition {
  return { name, module: "/m.js", task: "t", timing: "every 1 hour", timezone: "UTC", tags: [], options: {}, missed: "once", maxCatchup: 10 };
}

function runsOf(store: Store): Promise<RunRow[]> {
  return store.db.selectFrom("runs").selectAll().orderBy("id").execute();
}

function outboxIds(store: Store): Promise<string[]> {
  return (store.db as unknown as Kysely<OutboxSchema>)
    .selectFrom("bullmq_outbox")
    .select("job_id")
    .orderBy("job_id")
    .execute()
    .then((rows) => rows.map((row) => row.job_id));
}

function begin(recorder: RunRecorder, runId: number, occurrenceId: number, startedAt: number): RecordedAttempt {
  return recorder.begin({ runId, occurrenceId, attempt: 1, jobName: "j", queue: "default" }, startedAt);
}

describe("a run recorder", () => {
  it("writes the ends of many tasks in one transaction, each with its own instants, and lets their outbox rows go", async () => {
    const { store, counts } = await setUp();
    const ids = await pendingRuns(store, 100);
    const recorder = new RunRecorder(store, "w1", { flushEveryMs: 10_000 });
    const before = counts.transactions;
    // Ending is immediate: the task is acknowledged at once, the write follows.
    await Promise.all(ids.map((id, k) => recorder.end(begin(recorder, id, k + 1, 1_000 + k), success(id, String(k)), 2_000 + k, `j@${String(k + 1)}`)));
    expect((await runsOf(store)).every((run) => run.status === "pending")).toBe(true);
    await recorder.flush();
    expect(counts.transactions - before).toBe(1);
    const runs = await runsOf(store);
    expect(runs.map((run) => [run.status, run.result, run.started_at, run.finished_at, run.worker_id])).toEqual(
      ids.map((_, k) => ["success", String(k), 1_000 + k, 2_000 + k, "w1"]),
    );
    expect(await outboxIds(store)).toEqual([]);
    await recorder.close();
  });

  it("writes on its own within flushEveryMs, without being asked", async () => {
    const { store } = await setUp();
    const [id = -1] = await pendingRuns(store, 1);
    const recorder = new RunRecorder(store, "w1", { flushEveryMs: 5 });
    await recorder.end(begin(recorder, id, 1, 10), success(id, "1"), 20, null);
    await expect.poll(async () => (await runsOf(store))[0]?.status, { timeout: 2_000, interval: 5 }).toBe("success");
    await recorder.close();
  });

  it("marks a task started once it has run for startDelayMs, and not one that ended sooner", async () => {
    const { store } = await setUp();
    const [long = -1, short = -1] = await pendingRuns(store, 2);
    const recorder = new RunRecorder(store, "w1", { startDelayMs: 30, flushEveryMs: 5 });
    const longRun = begin(recorder, long, 1, Date.now());
    await recorder.end(begin(recorder, short, 2, Date.now()), success(short, "1"), Date.now(), null);
    await expect.poll(async () => (await runsOf(store)).map((run) => run.status), { timeout: 2_000, interval: 5 }).toEqual(["started", "success"]);
    expect((await runsOf(store))[0]).toMatchObject({ worker_id: "w1", started_at: longRun.startedAt, finished_at: null });
    await recorder.end(longRun, success(long, "2"), Date.now(), null);
    await recorder.flush();
    expect((await runsOf(store)).map((run) => run.status)).toEqual(["success", "success"]);
    await recorder.close();
  });

  it("records an end whose run had ended already as a further attempt (the occurrence ran again), counted once for its job", async () => {
    const { store } = await setUp();
    await jobsRepository.insert(store.db, { definition: definition("j"), kind: "CYCLIC", source: "code", state: "running", anchor: 0, nextDue: 1 }, 0);
    const [id = -1] = await pendingRuns(store, 1);
    const recorder = new RunRecorder(store, "w1");
    await recorder.end(begin(recorder, id, 1, 10), success(id, "first"), 20, null);
    await recorder.flush();
    // The same first attempt delivered again (Redis lost the finished job, the outbox sent it anew).
    await recorder.end(begin(recorder, id, 1, 30), { runId: id, jobName: "j", status: "failure", result: null, error: "Error: again", errorStack: null }, 40, null);
    await recorder.flush();
    expect((await runsOf(store)).map((run) => [run.attempt, run.status, run.result, run.enqueued_at, run.started_at])).toEqual([
      [1, "success", "first", 1, 10],
      [2, "failure", null, 30, 30],
    ]);
    expect(await jobsRepository.find(store.db, "j")).toMatchObject({ lastRunStatus: "failure", lastRunAt: 40, failedAttempts: 1 });
    await recorder.close();
  });

  it("inserts a retry's row as started when it started, not when the batch is written (never enqueued after it started)", async () => {
    const { store } = await setUp();
    const [id = -1] = await pendingRuns(store, 1);
    const recorder = new RunRecorder(store, "w1");
    await recorder.end(begin(recorder, id, 1, 10), { runId: id, jobName: "j", status: "retry", result: null, error: "Error: once", errorStack: null }, 20, null);
    const retry = await recorder.insertStart({ occurrenceId: 1, jobName: "j", attempt: 2, queue: "default" }, 1_000);
    const [, row] = await runsOf(store);
    expect(row).toMatchObject({ id: retry.runId, attempt: 2, status: "started", enqueued_at: 1_000, started_at: 1_000, worker_id: "w1" });
    expect(retry.startedAt).toBe(1_000);
    await recorder.end(retry, success(retry.runId, "2"), 1_005, null);
    await recorder.flush();
    expect((await runsOf(store)).map((run) => [run.attempt, run.status, run.enqueued_at, run.started_at, run.finished_at])).toEqual([
      [1, "retry", 1, 10, 20],
      [2, "success", 1_000, 1_000, 1_005],
    ]);
    await recorder.close();
  });

  it("reports, and does not write, an end whose occurrence this store does not hold (a worker given another store than its scheduler's)", async () => {
    const { store } = await setUp();
    const [id = -1] = await pendingRuns(store, 1);
    const errors: Error[] = [];
    const recorder = new RunRecorder(store, "w1", { onError: (error) => errors.push(error as Error) });
    // The scheduler's store gave this run the id that this store gave occurrence 1's run.
    await recorder.end(recorder.begin({ runId: id, occurrenceId: 999, attempt: 1, jobName: "elsewhere", queue: "default" }, 10), success(id, "1"), 20, "elsewhere@1");
    await recorder.flush();
    expect((await runsOf(store)).map((run) => [run.id, run.occurrence_id, run.status])).toEqual([[id, 1, "pending"]]);
    expect(errors.map((error) => error.message)).toEqual([
      `runs ended whose occurrences are not in this worker's store ${store.location}: the scheduler that dispatched them ` +
        "records into another store. Give the worker the scheduler's --backend; until then their ends are not written here " +
        "(the scheduler records them from BullMQ's finished jobs)",
    ]);
    await recorder.close();
  });

  it("keeps a job's last run the one that ended last, whatever order the ends are written in", async () => {
    const { store } = await setUp();
    await jobsRepository.insert(store.db, { definition: definition("j"), kind: "CYCLIC", source: "code", state: "running", anchor: 0, nextDue: 1 }, 0);
    const [late = -1, early = -1] = await pendingRuns(store, 2);
    const recorder = new RunRecorder(store, "w1");
    await recorder.end(begin(recorder, late, 1, 10), success(late, "late"), 50, null);
    await recorder.flush();
    // Another worker's batch, written after, with a run that ended before.
    await recorder.end(begin(recorder, early, 2, 10), { runId: early, jobName: "j", status: "failure", result: null, error: "Error: x", errorStack: null }, 30, null);
    await recorder.flush();
    expect(await jobsRepository.find(store.db, "j")).toMatchObject({ lastRunStatus: "success", lastRunAt: 50, failedAttempts: 1 });
    await recorder.close();
  });

  it("keeps the ends while the store is away and writes them once it is back; the lookups of the failed batch fail", async () => {
    const { store, counts } = await setUp();
    const [id = -1] = await pendingRuns(store, 1);
    const errors: unknown[] = [];
    let recovered = 0;
    const recorder = new RunRecorder(store, "w1", { flushEveryMs: 5, onError: (error) => errors.push(error), onRecovered: () => recovered++ });
    counts.failNext = 2;
    const lookup = recorder.latestAttempt(1);
    await recorder.end(begin(recorder, id, 1, 10), success(id, "kept"), 20, "j@1");
    await expect(lookup).rejects.toThrow("the store is away");
    await expect.poll(async () => (await runsOf(store))[0]?.result, { timeout: 5_000, interval: 10 }).toBe("kept");
    expect(errors.map(String)).toEqual([
      "Error: the store is away; this worker keeps the runs that ended and writes them once the store answers",
      "Error: the store is away; this worker keeps the runs that ended and writes them once the store answers",
    ]);
    expect(recovered).toBe(1);
    expect(await outboxIds(store)).toEqual([]);
    await recorder.close();
  });

  it("closes within its time limit when the store does not answer, reporting the ends it could not write", async () => {
    const { store, counts } = await setUp();
    const [first = -1, second = -1] = await pendingRuns(store, 2);
    const errors: unknown[] = [];
    const recorder = new RunRecorder(store, "w1", { flushEveryMs: 5, onError: (error) => errors.push(error) });
    counts.hang = true;
    await recorder.end(begin(recorder, first, 1, 10), success(first, "1"), 20, null);
    await expect.poll(() => counts.transactions, { timeout: 2_000, interval: 5 }).toBe(2); // its write is under way, and hangs
    await recorder.end(begin(recorder, second, 2, 10), success(second, "2"), 30, null);
    const closing = Date.now();
    await recorder.close(300);
    expect(Date.now() - closing).toBeLessThan(2_000);
    expect(errors.map(String)).toEqual(["Error: the store could not be reached to record 2 ended runs; they are recorded from BullMQ's jobs later"]);
    expect((await runsOf(store)).map((run) => run.status)).toEqual(["pending", "pending"]);
  });

  it("makes ending tasks wait for the write once highWaterMark ends are pending", async () => {
    const { store, counts } = await setUp();
    const ids = await pendingRuns(store, 3);
    const recorder = new RunRecorder(store, "w1", { flushEveryMs: 10_000, highWaterMark: 2 });
    const end = (k: number): Promise<void> => {
      const id = ids[k] ?? -1;
      return recorder.end(begin(recorder, id, k + 1, 10), success(id, String(k)), 20, null);
    };
    await end(0); // below the mark: accepted at once, nothing written
    expect(counts.transactions).toBe(1); // pendingRuns' own
    await end(1); // at the mark: waits until written
    expect((await runsOf(store)).map((run) => run.status)).toEqual(["success", "success", "pending"]);
    await end(2);
    await recorder.close();
    expect((await runsOf(store)).map((run) => run.status)).toEqual(["success", "success", "success"]);
  });

  it("answers lookups of an occurrence's latest attempt together, after the ends before them", async () => {
    const { store, counts } = await setUp();
    const [first = -1, second = -1] = await pendingRuns(store, 2);
    const recorder = new RunRecorder(store, "w1", { flushEveryMs: 10_000 });
    void recorder.end(begin(recorder, first, 1, 10), success(first, "1"), 20, null);
    const before = counts.transactions;
    const [a, b, none] = await Promise.all([recorder.latestAttempt(1), recorder.latestAttempt(2), recorder.latestAttempt(99)]);
    expect(counts.transactions - before).toBe(1);
    expect(a).toEqual({ runId: first, attempt: 1, status: "success" });
    expect(b).toEqual({ runId: second, attempt: 1, status: "pending" });
    expect(none).toBeUndefined();
    await recorder.close();
  });
});
