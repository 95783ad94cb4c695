import type { Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteTaskQueue } from "../../src/broker/sqlite/sqlite-task-queue.ts";
import type { JobDefinition } from "../../src/jobs/definition.ts";
import { ManualClock } from "../../src/scheduler/clock.ts";
import type { SchedulerEvent } from "../../src/scheduler/events.ts";
import { Scheduler } from "../../src/scheduler/scheduler.ts";
import type { StoreSchema } from "../../src/store/schema.ts";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite/open.ts";
import type { Store } from "../../src/store/store.ts";
import { at } from "../support/time.ts";
import { openTempStore } from "../support/store.ts";

const T0 = at("2024-03-03T07:36:47Z");

function job(name: string, timing: string, extra: Partial<JobDefinition> = {}): JobDefinition {
  return { name, module: "/tasks.js", task: "work", timing, timezone: "UTC", tags: [], options: {}, missed: "once", maxCatchup: 100, ...extra };
}

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups) await cleanup();
  cleanups = [];
});

async function setup(start = T0) {
  const temp = await openTempStore();
  cleanups.push(temp.cleanup);
  const clock = new ManualClock(start);
  const events: SchedulerEvent[] = [];
  const scheduler = new Scheduler({ store: temp.store, queue: new SqliteTaskQueue(), clock, onEvent: (e) => events.push(e) });
  await scheduler.load();
  return { ...temp, clock, events, scheduler };
}

async function ledger(store: SqliteStore) {
  const occurrences = await store.db.selectFrom("occurrences").selectAll().orderBy("id").execute();
  const runs = await store.db.selectFrom("runs").selectAll().orderBy("id").execute();
  const messages = store.native.prepare("select * from queue_messages order by id").all();
  const jobs = await store.db.selectFrom("jobs").selectAll().orderBy("name").execute();
  return { occurrences, runs, messages, jobs };
}

describe("the scheduler on a real SQLite file", () => {
  it("dispatches a due occurrence once: occurrence, pending run and queue message in one transaction", async () => {
    const { store, clock, scheduler } = await setup();
    await scheduler.add(job("ten", "every 10 seconds", { options: { queue: "fast", args: [1, 2], priority: 5 } }), "code");
    clock.advance(9_999);
    expect(await scheduler.tick()).toBe(1);
    clock.advance(1);
    expect(await scheduler.tick()).toBe(10_000);
    const { occurrences, runs, messages, jobs } = await ledger(store);
    expect(occurrences).toHaveLength(1);
    expect(occurrences[0]).toMatchObject({ job_name: "ten", due_at: T0 + 10_000, outcome: "dispatched", lateness: 0 });
    expect(runs).toMatchObject([{ job_name: "ten", attempt: 1, status: "pending", queue: "fast" }]);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ queue: "fast", priority: 5, available_at: T0 + 10_000 });
    expect(jobs[0]).toMatchObject({ attempts: 1, next_due: T0 + 20_000, state: "running" });
  });

  it("with a lookahead, sends an occurrence before its due instant, held by the queue until then, on time (lateness 0)", async () => {
    const temp = await openTempStore();
    cleanups.push(temp.cleanup);
    const clock = new ManualClock(T0);
    const scheduler = new Scheduler({ store: temp.store, queue: new SqliteTaskQueue(), clock, lookaheadMs: 100 });
    await scheduler.load();
    await scheduler.add(job("ten", "every 10 seconds"), "code");
    expect(await scheduler.tick()).toBe(9_900); // the next round starts 100 ms before the occurrence
    clock.advance(9_900);
    expect(await scheduler.tick()).toBe(10_000); // T0 + 19.9 s, for the next one
    const { occurrences, messages, jobs } = await ledger(temp.store);
    expect(occurrences).toMatchObject([{ due_at: T0 + 10_000, dispatched_at: T0 + 9_900, lateness: 0, outcome: "dispatched" }]);
    expect(messages).toMatchObject([{ available_at: T0 + 10_000 }]);
    expect(jobs[0]).toMatchObject({ next_due: T0 + 20_000 });
  });

  it("records lateness when the timer fires late", async () => {
    const { store, clock, scheduler } = await setup();
    await scheduler.add(job("late", "every 10 seconds"), "code");
    clock.advance(10_250);
    await scheduler.tick();
    const { occurrences } = await ledger(store);
    expect(occurrences[0]?.lateness).toBe(250);
  });

  it("records the lateness of the write that committed: a store that answers 3 s late makes the occurrence 3 s late", async () => {
    const temp = await openTempStore();
    cleanups.push(temp.cleanup);
    const clock = new ManualClock(T0);
    const events: SchedulerEvent[] = [];
    // As a PostgreSQL store does while the server restarts: a first try 1 s late runs the work and is
    // rolled back (the connection died before the commit); the next, 2 s later, commits.
    let outage = false;
    const slow: Store = {
      dialect: temp.store.dialect,
      db: temp.store.db,
      location: temp.store.location,
      close: () => temp.store.close(),
      write: async <T,>(work: (db: Kysely<StoreSchema>) => Promise<T>): Promise<T> => {
        if (!outage) return temp.store.write(work);
        clock.advance(1_000);
        const lost = new Error("the connection died before the commit");
        await expect(temp.store.write(async (tx) => Promise.reject(await work(tx).then(() => lost)))).rejects.toBe(lost);
        clock.advance(2_000);
        return temp.store.write(work);
      },
    };
    const scheduler = new Scheduler({ store: slow, queue: new SqliteTaskQueue(), clock, onEvent: (e) => events.push(e) });
    await scheduler.load();
    await scheduler.add(job("late-store", "every 10 seconds"), "code");
    outage = true;
    clock.advance(10_000);
    await scheduler.tick();
    const { occurrences } = await ledger(temp.store);
    expect(occurrences).toMatchObject([{ due_at: T0 + 10_000, dispatched_at: T0 + 13_000, lateness: 3_000, outcome: "dispatched" }]);
    expect(events.filter((e) => e.type === "dispatched")).toMatchObject([{ job: "late-store", lateness: 3_000 }]);
  });

  it("never dispatches an occurrence twice, even from two schedulers on one store", async () => {
    const { store, path, clock, scheduler } = await setup();
    await scheduler.add(job("shared", "every 10 seconds"), "code");
    const second = await openSqliteStore(path);
    cleanups.push(() => second.close());
    const other = new Scheduler({ store: second, queue: new SqliteTaskQueue(), clock });
    await other.load();
    clock.advance(10_000);
    await Promise.all([scheduler.tick(), other.tick()]);
    clock.advance(10_000);
    await Promise.all([other.tick(), scheduler.tick()]);
    const { occurrences, messages, jobs } = await ledger(store);
    expect(occurrences.map((o) => o.due_at)).toEqual([T0 + 10_000, T0 + 20_000]);
    expect(messages).toHaveLength(2);
    expect(jobs[0]?.attempts).toBe(2);
  });

  it("a ONCE job is done after it runs and does not run again after a restart", async () => {
    const { store, path, clock, scheduler } = await setup();
    await scheduler.add(job("once", "once in 17 seconds"), "code");
    clock.advance(17_000);
    await scheduler.tick();
    expect((await ledger(store)).jobs[0]).toMatchObject({ state: "done", next_due: null, attempts: 1 });
    await store.close();
    const reopened = await openSqliteStore(path);
    cleanups.push(() => reopened.close());
    const restarted = new Scheduler({ store: reopened, queue: new SqliteTaskQueue(), clock });
    await restarted.load();
    clock.advance(3_600_000);
    expect(await restarted.tick()).toBe(Infinity);
    expect((await ledger(reopened)).occurrences).toHaveLength(1);
  });

  it("the loop runs on one timer and dispatches as the clock advances", async () => {
    const { store, clock, scheduler } = await setup();
    await scheduler.add(job("a", "every 10 seconds"), "code");
    await scheduler.add(job("b", "every 15 seconds"), "code");
    scheduler.start();
    for (let step = 0; step < 30; step++) {
      clock.advance(1_000);
      await scheduler.settled();
    }
    await scheduler.stop();
    expect(clock.pendingTimers).toBe(0);
    const { occurrences } = await ledger(store);
    expect(occurrences.filter((o) => o.job_name === "a").map((o) => o.due_at - T0)).toEqual([10_000, 20_000, 30_000]);
    expect(occurrences.filter((o) => o.job_name === "b").map((o) => o.due_at - T0)).toEqual([15_000, 30_000]);
    expect(occurrences.every((o) => o.lateness === 0)).toBe(true);
  });

  it("copes with the clock jumping backwards: nothing is dispatched twice, and the schedule goes on", async () => {
    const { store, clock, scheduler } = await setup();
    await scheduler.add(job("a", "every 10 seconds"), "code");
    scheduler.start();
    clock.advance(20_000);
    await scheduler.settled();
    clock.jumpTo(T0 + 5_000); // an NTP step back by 15 s
    clock.advance(30_000);
    await scheduler.settled();
    await scheduler.stop();
    const dues = (await ledger(store)).occurrences.map((o) => o.due_at - T0);
    expect(dues).toEqual([10_000, 20_000, 30_000]);
  });

  it("the loop goes on through a store outage, reports each failed round, and says once when the store answers again", async () => {
    const temp = await openTempStore();
    cleanups.push(temp.cleanup);
    const clock = new ManualClock(T0);
    const events: SchedulerEvent[] = [];
    let away = false;
    const flaky: Store = {
      dialect: temp.store.dialect,
      db: temp.store.db,
      location: temp.store.location,
      close: () => temp.store.close(),
      write: <T,>(work: (db: Kysely<StoreSchema>) => Promise<T>): Promise<T> => (away ? Promise.reject(new Error("the store is away")) : temp.store.write(work)),
    };
    const scheduler = new Scheduler({ store: flaky, queue: new SqliteTaskQueue(), clock, onEvent: (e) => events.push(e) });
    await scheduler.load();
    await scheduler.add(job("a", "every 1 second", { missed: "all" }), "code");
    scheduler.start();
    away = true;
    for (let step = 0; step < 3; step++) {
      clock.advance(1_000);
      await expect.poll(() => events.filter((e) => e.type === "error").length).toBe(step + 1);
    }
    away = false;
    clock.advance(1_000);
    await expect.poll(() => events.some((e) => e.type === "recovered")).toBe(true);
    clock.advance(1_000);
    await scheduler.settled();
    await scheduler.stop();
    expect(events.filter((e) => e.type === "error" || e.type === "recovered").map((e) => e.type)).toEqual(["error", "error", "error", "recovered"]);
    expect(events.find((e) => e.type === "recovered")).toEqual({ type: "recovered", what: `The store ${temp.store.location}` });
    expect((await ledger(temp.store)).occurrences.map((o) => o.due_at - T0)).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
  });

  it("with reads failing too (syncs), no round says the store is back until one has read or written it", async () => {
    const temp = await openTempStore();
    cleanups.push(temp.cleanup);
    const clock = new ManualClock(T0);
    const events: SchedulerEvent[] = [];
    let away = false;
    const refuse = (): never => {
      throw new Error("the store is away");
    };
    // Reads go through `db`: while away, every query it starts fails.
    const db = new Proxy(temp.store.db, {
      get: (target, property, receiver) => {
        if (away && (property === "selectFrom" || property === "selectNoFrom")) return refuse;
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const flaky: Store = {
      dialect: temp.store.dialect,
      db,
      location: temp.store.location,
      close: () => temp.store.close(),
      write: <T,>(work: (db: Kysely<StoreSchema>) => Promise<T>): Promise<T> => (away ? Promise.reject(new Error("the store is away")) : temp.store.write(work)),
    };
    const scheduler = new Scheduler({ store: flaky, queue: new SqliteTaskQueue(), clock, onEvent: (e) => events.push(e) });
    await scheduler.load();
    await scheduler.add(job("slow", "every 10 seconds"), "code");
    scheduler.start();
    away = true;
    for (let step = 0; step < 4; step++) {
      clock.advance(1_000); // a sync each second, and nothing due
      await expect.poll(() => events.filter((e) => e.type === "error").length).toBe(step + 1);
    }
    expect(events.some((e) => e.type === "recovered")).toBe(false);
    away = false;
    clock.advance(1_000);
    await expect.poll(() => events.filter((e) => e.type === "recovered").length).toBe(1);
    await scheduler.stop();
  });

  it("copes with a timer that fires early: nothing is dispatched before it is due", async () => {
    const { store, clock, scheduler } = await setup();
    await scheduler.add(job("a", "every 10 seconds"), "code");
    clock.advance(5_000);
    expect(await scheduler.tick()).toBe(5_000);
    expect((await ledger(store)).occurrences).toHaveLength(0);
  });
});

describe("occurrences missed while nothing ran follow the job's policy", () => {
  async function downFor(ms: number, policy: JobDefinition["missed"], maxCatchup = 100) {
    const { store, clock, scheduler, events } = await setup();
    await scheduler.add(job("j", "every 10 minutes", { missed: policy, maxCatchup }), "code");
    clock.jumpTo(T0 + ms);
    await scheduler.tick();
    return { ...(await ledger(store)), events };
  }

  it("once (the default): one catch-up run, the rest recorded as missed", async () => {
    const { occurrences, runs, messages } = await downFor(61 * 60_000, "once");
    expect(occurrences.map((o) => [o.due_at - T0, o.outcome])).toEqual([
      [600_000, "missed"],
      [1_200_000, "missed"],
      [1_800_000, "missed"],
      [2_400_000, "missed"],
      [3_000_000, "missed"],
      [3_600_000, "catch-up"],
    ]);
    expect(occurrences[0]?.reason).toBe("missed: policy once ran the latest as a catch-up");
    expect(runs.map((r) => r.status)).toEqual(["missed", "missed", "missed", "missed", "missed", "pending"]);
    expect(messages).toHaveLength(1);
  });

  it("skip: nothing runs, every occurrence is recorded as missed", async () => {
    const { occurrences, messages } = await downFor(31 * 60_000, "skip");
    expect(occurrences.map((o) => o.outcome)).toEqual(["missed", "missed", "missed"]);
    expect(messages).toHaveLength(0);
  });

  it("all: each runs, capped by maxCatchup (the latest ones)", async () => {
    const { occurrences, messages } = await downFor(51 * 60_000, "all", 3);
    expect(occurrences.map((o) => [o.due_at - T0, o.outcome])).toEqual([
      [600_000, "missed"],
      [1_200_000, "missed"],
      [1_800_000, "catch-up"],
      [2_400_000, "catch-up"],
      [3_000_000, "catch-up"],
    ]);
    expect(messages).toHaveLength(3);
  });

  /** A store whose every transaction takes `ms` of the clock's time. */
  async function withSlowStore(ms: number) {
    const temp = await openTempStore();
    cleanups.push(temp.cleanup);
    const clock = new ManualClock(T0);
    const store: Store = {
      dialect: temp.store.dialect,
      db: temp.store.db,
      location: temp.store.location,
      close: () => temp.store.close(),
      async write<T>(work: (db: Kysely<StoreSchema>) => Promise<T>): Promise<T> {
        const result = await temp.store.write(work);
        clock.jumpTo(clock.now() + ms);
        return result;
      },
    };
    return { temp, clock, slowStore: store };
  }

  it("a herd that takes longer than the grace to drain is dispatched on time, not turned into catch-ups or skips", async () => {
    // Each batch's transaction takes 700 ms of clock time: the third batch starts 1.4 s after the round.
    const { temp, clock, slowStore } = await withSlowStore(700);
    const scheduler = new Scheduler({ store: slowStore, queue: new SqliteTaskQueue(), clock, batchSize: 2 });
    await scheduler.load();
    const names = ["a", "b", "c", "d", "e", "f"];
    await scheduler.define(names.map((name) => job(name, "every 1 hour", { missed: "skip" })), "code"); // one write: one anchor, T0
    clock.jumpTo(T0 + 3_600_000);
    await scheduler.tick();
    const { occurrences } = await ledger(temp.store);
    expect(occurrences.map((o) => [o.job_name, o.outcome]).sort()).toEqual(names.map((name) => [name, "dispatched"]));
    expect(occurrences.map((o) => o.lateness)).toEqual([0, 0, 700, 700, 1_400, 1_400]); // in batch order
  });

  it("a round takes what was due when it began: under a steady stream of due jobs it ends, and what waits behind it gets its turn", async () => {
    // Every transaction takes a second, so that by the end of each batch the next occurrence of every job is due.
    const { temp, clock, slowStore } = await withSlowStore(1_000);
    const scheduler = new Scheduler({ store: slowStore, queue: new SqliteTaskQueue(), clock, batchSize: 1 });
    await scheduler.load();
    await scheduler.define([job("a", "every 1 second"), job("b", "every 1 second")], "code"); // the clock ends at T0 + 1 s
    const round = scheduler.tick();
    const paused = scheduler.pause("a"); // queued behind the round
    await round;
    // a and b were due at T0 + 1 s when the round began; a's next was due when b's batch began, and
    // b's when the round's last batch ended: both wait for the next round, which the pause precedes.
    expect(clock.now()).toBe(T0 + 3_000);
    const { occurrences } = await ledger(temp.store);
    expect(occurrences.map((o) => [o.job_name, o.due_at - T0]).sort()).toEqual([
      ["a", 1_000],
      ["b", 1_000],
    ]);
    expect(await paused).toMatchObject({ name: "a", state: "paused", changed: true });
  });

  it("a very long outage of a frequent job lists the first misses and jumps past now", async () => {
    const { occurrences, events, jobs } = await downFor(30 * 86_400_000, "skip");
    expect(occurrences.length).toBeLessThanOrEqual(1200);
    expect(events.some((e) => e.type === "missed-unlisted")).toBe(true);
    expect(jobs[0]?.next_due).toBeGreaterThan(T0 + 30 * 86_400_000);
  });
});

describe("pause, resume, trigger, delete", () => {
  it("pausing stops dispatch; resuming does not replay what passed while paused; a CYCLIC job keeps its phase", async () => {
    const { store, clock, scheduler } = await setup();
    await scheduler.add(job("p", "every 10 seconds"), "code");
    expect(await scheduler.pause("p")).toEqual({ name: "p", state: "paused", changed: true });
    expect(await scheduler.pause("p")).toEqual({ name: "p", state: "paused", changed: false });
    clock.advance(45_000);
    await scheduler.tick();
    expect((await ledger(store)).occurrences).toHaveLength(0);
    expect(await scheduler.resume("p")).toEqual({ name: "p", state: "running", changed: true });
    expect(await scheduler.resume("p")).toEqual({ name: "p", state: "running", changed: false });
    clock.advance(5_000);
    await scheduler.tick();
    const { occurrences } = await ledger(store);
    expect(occurrences.map((o) => o.due_at - T0)).toEqual([50_000]);
  });

  it("pause state survives a restart", async () => {
    const { store, path, clock, scheduler } = await setup();
    await scheduler.add(job("p", "every 10 seconds"), "code");
    await scheduler.pause("p");
    await store.close();
    const reopened = await openSqliteStore(path);
    cleanups.push(() => reopened.close());
    const restarted = new Scheduler({ store: reopened, queue: new SqliteTaskQueue(), clock });
    await restarted.load();
    clock.advance(60_000);
    await restarted.tick();
    expect((await ledger(reopened)).occurrences).toHaveLength(0);
  });

  it("trigger runs a job now without touching its schedule", async () => {
    const { store, clock, scheduler } = await setup();
    await scheduler.add(job("t", "every day at 9:00"), "code");
    clock.advance(1_000);
    await scheduler.trigger("t");
    const { occurrences, messages, jobs } = await ledger(store);
    expect(occurrences).toMatchObject([{ origin: "manual", due_at: T0 + 1_000, outcome: "dispatched" }]);
    expect(messages).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ attempts: 1, next_due: at("2024-03-03T09:00:00Z") });
  });

  it("tags: anyTag matches a job sharing one tag, otherwise all tags are needed", async () => {
    const { scheduler } = await setup();
    await scheduler.add(job("a", "every 10 seconds", { tags: ["cpu", "fast"] }), "code");
    await scheduler.add(job("b", "every 10 seconds", { tags: ["cpu"] }), "code");
    await scheduler.add(job("c", "every 10 seconds", { tags: ["gpu"] }), "code");
    expect(scheduler.namesWithTags(["cpu", "fast"], true).sort()).toEqual(["a", "b"]);
    expect(scheduler.namesWithTags(["cpu", "fast"], false)).toEqual(["a"]);
    expect(scheduler.namesWithTags(["fast", "gpu"], true).sort()).toEqual(["a", "c"]);
  });

  it("a duplicate name is refused; unknown names are reported", async () => {
    const { scheduler } = await setup();
    await scheduler.add(job("a", "every 10 seconds"), "code");
    await expect(scheduler.add(job("a", "every 5 seconds"), "code")).rejects.toThrow('a job named "a" exists already');
    await expect(scheduler.pause("nope")).rejects.toThrow('no job named "nope"');
    await scheduler.delete("a");
    expect(scheduler.has("a")).toBe(false);
  });

  it("define() keeps unchanged jobs as they are, restarts changed timings and removes what the source dropped", async () => {
    const { store, clock, scheduler } = await setup();
    await scheduler.define([job("a", "every 10 seconds"), job("b", "every 20 seconds")], "file:x");
    await scheduler.pause("a");
    clock.advance(3_000);
    await scheduler.define([job("a", "every 10 seconds"), job("c", "every 30 seconds")], "file:x");
    const { jobs } = await ledger(store);
    expect(jobs.map((j) => [j.name, j.state, j.anchor - T0])).toEqual([
      ["a", "paused", 0],
      ["c", "running", 3_000],
    ]);
  });

  it("define() after a restart: the same jobs, read back from the store with their keys in another order, are not updates", async () => {
    const { path, clock, scheduler, events } = await setup();
    await scheduler.define([job("a", "every 10 seconds", { options: { queue: "q", args: [1] }, tags: ["t"] })], "file:x");
    await scheduler.stop();
    const store = await openSqliteStore(path);
    cleanups.push(() => store.close());
    const restarted = new Scheduler({ store, queue: new SqliteTaskQueue(), clock, onEvent: (e) => events.push(e) });
    await restarted.load();
    // As a schedule file gives it: the same definition, its fields in the order the parser sets them.
    const { name, task, timing, timezone, tags, missed, maxCatchup, module } = job("a", "every 10 seconds", { tags: ["t"] });
    await restarted.define([{ name, task, timing, timezone, tags, options: { args: [1], queue: "q" }, missed, maxCatchup, module }], "file:x");
    expect(events.map((e) => e.type)).toEqual(["scheduled"]);
  });

  it("define() with a change other than the timing keeps the schedule where it was: what is overdue is still caught up", async () => {
    const { store, clock, scheduler } = await setup();
    await scheduler.define([job("a", "every 10 seconds", { missed: "all" })], "file:x");
    await scheduler.stop(); // down, as across a restart, while two occurrences come due
    clock.advance(25_000);
    const restarted = new Scheduler({ store, queue: new SqliteTaskQueue(), clock });
    await restarted.load();
    await restarted.define([job("a", "every 10 seconds", { missed: "all", tags: ["new"] })], "file:x");
    await restarted.tick();
    const { occurrences } = await ledger(store);
    expect(occurrences.map((o) => [o.due_at - T0, o.outcome])).toEqual([
      [10_000, "catch-up"],
      [20_000, "catch-up"],
    ]);
  });

  it("define() reports each job once when the store runs its transaction twice (a retry after a conflict)", async () => {
    const temp = await openTempStore();
    cleanups.push(temp.cleanup);
    // The Store contract: work may run more than once, only one run is committed.
    const retrying: Store = {
      dialect: temp.store.dialect,
      db: temp.store.db,
      location: temp.store.location,
      close: () => temp.store.close(),
      async write<T>(work: (db: Kysely<StoreSchema>) => Promise<T>): Promise<T> {
        await temp.store
          .write(async (tx) => {
            await work(tx);
            throw new Error("conflict: rolled back, tried again");
          })
          .catch(() => undefined);
        return temp.store.write(work);
      },
    };
    const events: SchedulerEvent[] = [];
    const scheduler = new Scheduler({ store: retrying, queue: new SqliteTaskQueue(), clock: new ManualClock(T0), onEvent: (e) => events.push(e) });
    await scheduler.load();
    await scheduler.define([job("a", "every 10 seconds"), job("b", "every 10 seconds")], "file:x");
    expect(events.map((e) => [e.type, "job" in e ? e.job : ""])).toEqual([
      ["scheduled", "a"],
      ["scheduled", "b"],
    ]);
    expect((await ledger(temp.store)).jobs.map((j) => j.name)).toEqual(["a", "b"]);
  });
});
