import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { JobDefinition } from "../../src/jobs/definition.ts";
import { ManualClock } from "../../src/scheduler/clock.ts";
import { writeDispatch, type DispatchItem } from "../../src/scheduler/dispatch.ts";
import { Scheduler } from "../../src/scheduler/scheduler.ts";
import { jobsRepository } from "../../src/store/jobs.ts";
import { jsonRows } from "../../src/store/json-rows.ts";
import { storeQueries } from "../../src/store/queries.ts";
import { runsRepository } from "../../src/store/runs.ts";
import type { Store } from "../../src/store/store.ts";
import { readLedger } from "../support/ledger.ts";
import { RecordingQueue } from "../support/recording-queue.ts";
import { at } from "../support/time.ts";

/** One empty database for one test; `open` may be called again for another handle, as another process. */
export interface FreshDatabase {
  open(): Promise<Store>;
  /** Closes every handle `open` gave and removes the database. */
  dispose(): Promise<void>;
}

export interface StoreFactory {
  /** Shown in test names: "SQLite", "PostgreSQL". */
  readonly name: string;
  fresh(): Promise<FreshDatabase>;
}

/** Past 2^32 ms: an instant that would not survive a 32-bit column or a driver's int parsing. */
const T0 = at("2024-03-03T07:36:47Z");

function job(name: string, timing = "every 10 seconds", extra: Partial<JobDefinition> = {}): JobDefinition {
  return { name, module: "/tasks.js", task: "work", timing, timezone: "UTC", tags: ["a"], options: {}, missed: "once", maxCatchup: 100, ...extra };
}

function newJob(definition: JobDefinition, anchor = T0) {
  return { definition, kind: "CYCLIC", source: "code", state: "running" as const, anchor, nextDue: anchor + 10_000 };
}

/**
 * What every store must do, whatever its database: the same repositories, the same transactions, and
 * exactly-once dispatch with several schedulers on one store. Each backend's test file calls this.
 */
export function storeConformance(factory: StoreFactory): void {
  let disposals: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const dispose of disposals) await dispose();
    disposals = [];
  });

  async function fresh(): Promise<FreshDatabase> {
    const database = await factory.fresh();
    disposals.push(() => database.dispose());
    return database;
  }

  async function freshStore(): Promise<Store> {
    return (await fresh()).open();
  }

  describe(`the ${factory.name} store: schema`, () => {
    it("is created on first open, and opening it again (as another process) migrates nothing twice", async () => {
      const database = await fresh();
      const first = await database.open();
      await first.write((tx) => jobsRepository.insert(tx, newJob(job("kept")), T0));
      const second = await database.open();
      expect((await jobsRepository.find(second.db, "kept"))?.definition.name).toBe("kept");
      const ledger = await sql<{ name: string }>`select name from orchestra_migrations`.execute(second.db);
      expect(ledger.rows.map((row) => row.name)).toEqual(["0001-initial", "0002-job-revisions", "0003-store-identity"]);
    });

    it("is migrated once when two processes open a new database at the same moment", async () => {
      const database = await fresh();
      const [a, b] = await Promise.all([database.open(), database.open()]);
      await a.write((tx) => jobsRepository.insert(tx, newJob(job("one")), T0));
      expect(await jobsRepository.all(b.db)).toHaveLength(1);
    });
  });

  describe(`the ${factory.name} store: jobs`, () => {
    it("inserts, finds, lists, updates and deletes a job; changes to a missing job report false", async () => {
      const store = await freshStore();
      const definition = job("nightly", "every day at 03:00", { tags: ["report", "db"], options: { queue: "slow", args: [1, "x"] }, missed: "all", maxCatchup: 7 });
      await store.write((tx) => jobsRepository.insert(tx, { ...newJob(definition), kind: "DAILY" }, T0));
      const found = await jobsRepository.find(store.db, "nightly");
      expect(found).toEqual({
        definition,
        kind: "DAILY",
        source: "code",
        state: "running",
        anchor: T0,
        nextDue: T0 + 10_000,
        attempts: 0,
        failedAttempts: 0,
        lastRunAt: null,
        lastRunStatus: null,
      });
      expect((await jobsRepository.all(store.db)).map((stored) => stored.definition.name)).toEqual(["nightly"]);

      expect(await store.write((tx) => jobsRepository.update(tx, "nightly", { state: "paused", next_due: null }, T0 + 1))).toBe(true);
      expect(await jobsRepository.find(store.db, "nightly")).toMatchObject({ state: "paused", nextDue: null });
      expect(await store.write((tx) => jobsRepository.update(tx, "missing", { state: "paused" }, T0))).toBe(false);

      expect(await store.write((tx) => jobsRepository.delete(tx, "nightly"))).toBe(true);
      expect(await store.write((tx) => jobsRepository.delete(tx, "nightly"))).toBe(false);
      expect(await jobsRepository.find(store.db, "nightly")).toBeUndefined();
    });

    it("finds no job whose name holds U+0000, which PostgreSQL text cannot hold, rather than failing the query", async () => {
      const store = await freshStore();
      await jobsRepository.insert(store.db, newJob(job("a")), T0);
      expect(await jobsRepository.find(store.db, "a\u0000b")).toBeUndefined();
      expect(await jobsRepository.find(store.db, "\u0000")).toBeUndefined();
    });

    it("refuses a second job of the same name, and the failed write leaves the first as it was", async () => {
      const store = await freshStore();
      await store.write((tx) => jobsRepository.insert(tx, newJob(job("twin")), T0));
      await expect(store.write((tx) => jobsRepository.insert(tx, newJob(job("twin", "every 5 seconds")), T0))).rejects.toThrow();
      expect((await jobsRepository.find(store.db, "twin"))?.definition.timing).toBe("every 10 seconds");
    });

    it("keeps instants (epoch ms past 2^32) and ids as plain numbers", async () => {
      const store = await freshStore();
      const far = 2 ** 52 + 1; // year 142 000-something: still exact
      await store.write((tx) => jobsRepository.insert(tx, { ...newJob(job("far"), far), nextDue: far + 1 }, far));
      const row = await store.db.selectFrom("jobs").selectAll().where("name", "=", "far").executeTakeFirstOrThrow();
      expect([row.anchor, row.next_due, row.created_at, row.updated_at]).toEqual([far, far + 1, far, far]);
      expect(typeof row.anchor).toBe("number");
      const [occurrence] = await store.write((tx) =>
        writeDispatch(tx, new RecordingQueue(), [dispatchOf(job("far"), [T0])], T0 + 2 ** 33),
      );
      expect(typeof occurrence?.id).toBe("number");
      expect(occurrence?.dueAt).toBe(T0);
      const stored = await store.db.selectFrom("occurrences").selectAll().executeTakeFirstOrThrow();
      expect(stored).toMatchObject({ due_at: T0, dispatched_at: T0 + 2 ** 33, lateness: 2 ** 33 });
      expect(typeof stored.id).toBe("number");
    });
  });

  describe(`the ${factory.name} store: write transactions`, () => {
    it("returns what the work returns", async () => {
      const store = await freshStore();
      expect(await store.write(() => Promise.resolve(42))).toBe(42);
    });

    it("undoes everything when the work fails, and passes its error on", async () => {
      const store = await freshStore();
      const failure = new Error("task list is broken");
      const written = store.write(async (tx) => {
        await jobsRepository.insert(tx, newJob(job("half")), T0);
        throw failure;
      });
      await expect(written).rejects.toBe(failure);
      expect(await jobsRepository.all(store.db)).toEqual([]);
    });
  });

  describe(`the ${factory.name} store: runs`, () => {
    it("starts attempts (the first one's row exists since dispatch), finishes them, and counts the job's failures", async () => {
      const store = await freshStore();
      await store.write((tx) => jobsRepository.insert(tx, newJob(job("j")), T0));
      const [occurrence] = await store.write((tx) => writeDispatch(tx, new RecordingQueue(), [dispatchOf(job("j"), [T0])], T0));
      if (occurrence === undefined) throw new Error("nothing dispatched");
      const pending = await runsRepository.page(store.db, "j", { page: 1, pageSize: 10 });
      expect(pending).toMatchObject([{ occurrence_id: occurrence.id, attempt: 1, status: "pending", worker_id: null }]);

      const [first] = await store.write((tx) => runsRepository.start(tx, [{ occurrenceId: occurrence.id, jobName: "j", attempt: 1, queue: "default" }], "w1", T0 + 5));
      expect(first).toBe(pending[0]?.id);
      await store.write((tx) =>
        runsRepository.finish(tx, [{ runId: first ?? -1, jobName: "j", status: "retry", result: null, error: "boom", errorStack: "at x" }], T0 + 9),
      );
      const [second] = await store.write((tx) => runsRepository.start(tx, [{ occurrenceId: occurrence.id, jobName: "j", attempt: 2, queue: "default" }], "w2", T0 + 20));
      await store.write((tx) =>
        runsRepository.finish(tx, [{ runId: second ?? -1, jobName: "j", status: "success", result: "{\"ok\":true}", error: null, errorStack: null }], T0 + 30),
      );

      expect(await runsRepository.find(store.db, first ?? -1)).toMatchObject({ status: "retry", worker_id: "w1", started_at: T0 + 5, finished_at: T0 + 9, error: "boom" });
      expect(await runsRepository.find(store.db, second ?? -1)).toMatchObject({ attempt: 2, status: "success", worker_id: "w2", result: "{\"ok\":true}" });
      expect(await jobsRepository.find(store.db, "j")).toMatchObject({ lastRunAt: T0 + 30, lastRunStatus: "success", failedAttempts: 1, attempts: 1 });
    });

    it("marks a redelivered message's unfinished previous attempt as interrupted", async () => {
      const store = await freshStore();
      const [occurrence] = await store.write((tx) => writeDispatch(tx, new RecordingQueue(), [dispatchOf(job("j"), [T0])], T0));
      const id = occurrence?.id ?? -1;
      await store.write((tx) => runsRepository.start(tx, [{ occurrenceId: id, jobName: "j", attempt: 1, queue: "default" }], "dead", T0 + 1));
      await store.write((tx) => runsRepository.start(tx, [{ occurrenceId: id, jobName: "j", attempt: 2, queue: "default" }], "alive", T0 + 60_000));
      const runs = await runsRepository.page(store.db, "j", { page: 1, pageSize: 10 });
      expect(runs.map((run) => [run.attempt, run.status, run.worker_id])).toEqual([
        [2, "started", "alive"],
        [1, "retry", "dead"],
      ]);
      expect(runs[1]?.error).toMatch(/^interrupted/);
    });

    it("finds no run by an id beyond 2^53 − 1 (or PostgreSQL's bigint), rather than failing the query", async () => {
      const store = await freshStore();
      await jobsRepository.insert(store.db, newJob(job("j")), T0);
      for (const id of [Number("9223372036854775807"), 2 ** 53, 1e300]) expect(await storeQueries.findRun(store.db, "j", id), String(id)).toBeUndefined();
    });

    it("pages a job's runs newest first, filtered by status", async () => {
      const store = await freshStore();
      const dues = Array.from({ length: 7 }, (_, index) => T0 + index * 10_000);
      const written = await store.write((tx) => writeDispatch(tx, new RecordingQueue(), [dispatchOf(job("p"), dues)], T0 + 70_000));
      await store.write((tx) => writeDispatch(tx, new RecordingQueue(), [dispatchOf(job("other"), [T0])], T0 + 70_000));
      const started = await store.write((tx) =>
        runsRepository.start(tx, written.slice(0, 3).map((o) => ({ occurrenceId: o.id, jobName: "p", attempt: 1, queue: "default" })), "w", T0 + 80_000),
      );
      const all = await runsRepository.page(store.db, "p", { page: 1, pageSize: 100 });
      expect(all.map((run) => run.occurrence_id)).toEqual(written.map((o) => o.id).reverse());
      const second = await runsRepository.page(store.db, "p", { page: 2, pageSize: 3 });
      expect(second.map((run) => run.occurrence_id)).toEqual(written.slice(1, 4).map((o) => o.id).reverse());
      const onlyStarted = await runsRepository.page(store.db, "p", { page: 1, pageSize: 100, status: "started" });
      expect(onlyStarted.map((run) => run.id)).toEqual([...started].reverse());
    });
  });

  describe(`the ${factory.name} store: rows given as one JSON parameter`, () => {
    it("read back as they were: nulls, quotes, backslashes, non-ASCII text and instants past 2^32", async () => {
      const store = await freshStore();
      const rows = [
        [1, "plain", T0],
        [2, `it's "quoted" \\ and \n broken`, null],
        [3, null, 2 ** 53 - 1],
        [4, "zürich — 東京 🚀", 0],
      ];
      const read = await sql<{ id: number | string; label: string | null; at: number | string | null }>`select * from ${jsonRows(
        store.db,
        [
          ["id", "bigint"],
          ["label", "text"],
          ["at", "bigint"],
        ],
        rows,
      )} as r order by id`.execute(store.db);
      // PostgreSQL's driver gives a bigint as text: compared as numbers.
      expect(read.rows.map((row) => [Number(row.id), row.label, row.at === null ? null : Number(row.at)])).toEqual(rows);
    });

    it("an empty batch is an empty table", async () => {
      const store = await freshStore();
      const read = await sql`select * from ${jsonRows(store.db, [["id", "bigint"]], [])} as r`.execute(store.db);
      expect(read.rows).toEqual([]);
    });
  });

  describe(`the ${factory.name} store: exactly-once dispatch`, () => {
    it("writes each occurrence once when two handles dispatch the same ones at the same moment", async () => {
      const database = await fresh();
      const [a, b] = await Promise.all([database.open(), database.open()]);
      const definitions = Array.from({ length: 20 }, (_, index) => job(`j${String(index).padStart(2, "0")}`));
      await a.write(async (tx) => {
        for (const definition of definitions) await jobsRepository.insert(tx, newJob(definition), T0);
      });
      const items = definitions.map((definition) => dispatchOf(definition, [T0 + 10_000, T0 + 20_000]));
      const [fromA, fromB] = await Promise.all([
        a.write((tx) => writeDispatch(tx, new RecordingQueue(), items, T0 + 20_000)),
        b.write((tx) => writeDispatch(tx, new RecordingQueue(), items, T0 + 20_000)),
      ]);
      expect(fromA.length + fromB.length).toBe(40);
      const { occurrences, runs, jobs } = await readLedger(a);
      expect(occurrences).toHaveLength(40);
      expect(runs.map((run) => run.occurrence_id).sort((x, y) => x - y)).toEqual(occurrences.map((o) => o.id).sort((x, y) => x - y));
      expect(jobs.every((stored) => stored.attempts === 2)).toBe(true);
    });

    it("two schedulers on one store, ticking together, dispatch every due occurrence once", async () => {
      const database = await fresh();
      const [storeA, storeB] = await Promise.all([database.open(), database.open()]);
      const clock = new ManualClock(T0);
      const queueA = new RecordingQueue();
      const queueB = new RecordingQueue();
      const a = new Scheduler({ store: storeA, queue: queueA, clock });
      const b = new Scheduler({ store: storeB, queue: queueB, clock });
      const definitions = Array.from({ length: 30 }, (_, index) => job(`s${String(index).padStart(2, "0")}`, index % 2 === 0 ? "every 10 seconds" : "every 5 seconds"));
      await a.define(definitions, "file:schedule.yaml");
      await b.load();
      for (let round = 0; round < 6; round++) {
        clock.advance(5_000);
        await Promise.all(round % 2 === 0 ? [a.tick(), b.tick()] : [b.tick(), a.tick()]);
      }

      const { occurrences, runs, jobs } = await readLedger(storeA);
      const expected = definitions.flatMap((definition, index) => {
        const every = index % 2 === 0 ? 10_000 : 5_000;
        return Array.from({ length: 30_000 / every }, (_, n) => `${definition.name}@${(n + 1) * every}`);
      });
      expect(occurrences.map((o) => `${o.job_name}@${o.due_at - T0}`).sort()).toEqual(expected.sort());
      expect(runs).toHaveLength(occurrences.length);
      expect(new Set(runs.map((run) => run.occurrence_id)).size).toBe(occurrences.length);
      const perJob = new Map(definitions.map((definition, index) => [definition.name, index % 2 === 0 ? 3 : 6]));
      expect(jobs.map((stored) => [stored.name, stored.attempts])).toEqual([...perJob]);
      // Each committed occurrence was handed to exactly one scheduler's queue, once.
      const committed = new Set(occurrences.map((o) => o.id));
      const sent = [...queueA.requests, ...queueB.requests].map((request) => request.message.occurrenceId).filter((id) => committed.has(id));
      expect(sent.sort((x, y) => x - y)).toEqual([...committed].sort((x, y) => x - y));
    });

    it("a change made through one scheduler reaches the others at their next sync: pause, resume, add, update, delete", async () => {
      const database = await fresh();
      const [storeA, storeB] = await Promise.all([database.open(), database.open()]);
      const clock = new ManualClock(T0);
      const a = new Scheduler({ store: storeA, queue: new RecordingQueue(), clock, syncMs: 1_000 });
      // B syncs only when told, to show what it does before and after.
      const b = new Scheduler({ store: storeB, queue: new RecordingQueue(), clock, syncMs: 3_600_000 });
      await a.define([job("p"), job("q")], "file:schedule.yaml");
      await b.load();
      const dues = async (name: string): Promise<number[]> =>
        (await readLedger(storeA)).occurrences.filter((o) => o.job_name === name).map((o) => o.due_at - T0);

      await a.pause("p");
      clock.advance(10_000);
      await b.tick(); // B has not seen the pause: it dispatches p once more, but must not undo the pause
      expect((await jobsRepository.find(storeA.db, "p"))?.state).toBe("paused");
      await b.sync();
      clock.advance(10_000);
      await a.tick();
      await b.tick();
      expect(await dues("p")).toEqual([10_000]);

      await a.add(job("r", "every 5 seconds"), "code"); // anchored at T0 + 20 s
      await a.delete("q");
      await a.resume("p");
      await b.sync();
      expect([b.has("r"), b.has("q"), b.has("p")]).toEqual([true, false, true]);
      for (let step = 0; step < 2; step++) {
        clock.advance(5_000);
        await b.tick(); // only B ticks now: what it dispatches is what it learnt
      }
      expect(await dues("p")).toEqual([10_000, 30_000]);
      expect(await dues("r")).toEqual([25_000, 30_000]);
      expect(await dues("q")).toEqual([10_000, 20_000]);

      await a.define([job("p", "every 20 seconds")], "file:schedule.yaml"); // p starts anew at T0 + 30 s
      await b.sync();
      clock.advance(20_000);
      await b.tick();
      expect(await dues("p")).toEqual([10_000, 30_000, 50_000]);
    });

    it("a scheduler restarted on the store goes on where the last one stopped", async () => {
      const database = await fresh();
      const store = await database.open();
      const clock = new ManualClock(T0);
      const first = new Scheduler({ store, queue: new RecordingQueue(), clock });
      await first.add(job("r"), "code");
      clock.advance(10_000);
      await first.tick();
      const again = new Scheduler({ store: await database.open(), queue: new RecordingQueue(), clock });
      await again.load();
      expect(again.nextDue()).toBe(T0 + 20_000);
      clock.advance(10_000);
      await Promise.all([first.tick(), again.tick()]);
      const { occurrences, jobs } = await readLedger(store);
      expect(occurrences.map((o) => o.due_at - T0)).toEqual([10_000, 20_000]);
      expect(jobs[0]).toMatchObject({ attempts: 2, next_due: T0 + 30_000 });
    });
  });
}

function dispatchOf(definition: JobDefinition, dues: readonly number[]): DispatchItem {
  return { definition, origin: "schedule", occurrences: dues.map((dueAt) => ({ dueAt, outcome: "dispatched", reason: null })) };
}
