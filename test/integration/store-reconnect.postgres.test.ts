import { sql, type Kysely } from "kysely";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { CommitUnknownError } from "../../src/errors/commit-unknown-error.ts";
import { StoreError } from "../../src/errors/store-error.ts";
import type { JobDefinition } from "../../src/jobs/definition.ts";
import { ManualClock } from "../../src/scheduler/clock.ts";
import { Scheduler } from "../../src/scheduler/scheduler.ts";
import { jobsRepository } from "../../src/store/jobs.ts";
import { errorReply } from "../../src/api/errors.ts";
import { openPostgresStore, PostgresStore } from "../../src/store/postgres/open.ts";
import { parsePostgresUrl } from "../../src/store/postgres/url.ts";
import type { StoreSchema } from "../../src/store/schema.ts";
import type { Store } from "../../src/store/store.ts";
import { readLedger } from "../support/ledger.ts";
import { dropSchema, freshSchema, POSTGRES_URL, postgresUrl, skipWithoutPostgres, terminateConnections } from "../support/postgres.ts";
import { RecordingQueue } from "../support/recording-queue.ts";
import { TcpProxy } from "../support/tcp-proxy.ts";
import { at } from "../support/time.ts";

skipWithoutPostgres();

const T0 = at("2024-03-03T07:36:47Z");

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A fresh schema, and a way to open stores on it. The schema is also the connections' application name. */
function database(tag: string): { schema: string; open: () => Promise<PostgresStore> } {
  const schema = freshSchema(tag);
  cleanups.push(() => dropSchema(schema));
  return {
    schema,
    open: async () => {
      const store = await openPostgresStore(postgresUrl(schema), { poolSize: 3 });
      cleanups.push(() => store.close());
      return store;
    },
  };
}

function job(name: string): JobDefinition {
  return { name, module: "/t.js", task: "t", timing: "every 1 second", timezone: "UTC", tags: [], options: {}, missed: "all", maxCatchup: 100 };
}

function insertJob(tx: Kysely<StoreSchema>, name: string): Promise<void> {
  return jobsRepository.insert(tx, { definition: job(name), kind: "CYCLIC", source: "code", state: "running", anchor: T0, nextDue: T0 }, T0);
}

/** Ends the connection this transaction runs on, as a server restart would, mid-transaction: the statement fails. */
async function loseConnection(tx: Kysely<StoreSchema>): Promise<void> {
  await sql`select pg_terminate_backend(pg_backend_pid())`.execute(tx);
}

describe("a PostgreSQL store that loses its connection", () => {
  it("runs a write again on a new connection when its connection dies mid-transaction, and commits it once", async () => {
    const store = await database("midtx").open();
    let runs = 0;
    await store.write(async (tx) => {
      runs++;
      await insertJob(tx, "once");
      if (runs === 1) await loseConnection(tx);
    });
    expect(runs).toBe(2);
    expect((await jobsRepository.all(store.db)).map((stored) => stored.definition.name)).toEqual(["once"]);
  });

  it("does not run a write again for a unique violation: it would fail the same way", async () => {
    const store = await database("unique").open();
    await store.write((tx) => insertJob(tx, "twin"));
    let runs = 0;
    const error: unknown = await store
      .write((tx) => {
        runs++;
        return insertJob(tx, "twin");
      })
      .catch((e: unknown) => e);
    expect(runs).toBe(1);
    expect((error as { code?: string }).code).toBe("23505");
  });

  it("says at once that it goes on trying, then gives up after its reconnect timeout with a StoreError naming the server", async () => {
    const started = Date.now();
    const told: StoreError[] = [];
    const error: unknown = await openPostgresStore("postgresql://root:secret@127.0.0.1:1/test?schema=nowhere", {
      reconnectTimeoutMs: 300,
      onUnreachable: (waiting) => told.push(waiting),
    }).catch((e: unknown) => e);
    expect(told.map((waiting) => waiting.message)).toEqual([
      "the PostgreSQL store postgresql://root:***@127.0.0.1:1/test?schema=nowhere is unreachable: connect ECONNREFUSED 127.0.0.1:1; trying again for up to 0.3 s",
    ]);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toBe(
      "the PostgreSQL store postgresql://root:***@127.0.0.1:1/test?schema=nowhere is unreachable; gave up after 0.3 s: connect ECONNREFUSED 127.0.0.1:1",
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(2_000);
  });

  it("fails a read made while the server is away with a StoreError naming the store, which the API answers with 503", async () => {
    const store = new PostgresStore(parsePostgresUrl("postgresql://root:secret@127.0.0.1:1/test?schema=nowhere"), { connectTimeoutMs: 1_000 });
    cleanups.push(() => store.close());
    const error: unknown = await jobsRepository.all(store.db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toBe("the PostgreSQL store postgresql://root:***@127.0.0.1:1/test?schema=nowhere is unreachable: connect ECONNREFUSED 127.0.0.1:1");
    expect((error as StoreError).cause).toMatchObject({ code: "ECONNREFUSED" });
    expect(errorReply(error)).toMatchObject({ status: 503, body: { error: "ERR_STORE" }, unexpected: true });
  });

  it("fails at once, saying why, when the server refuses for good (no such database)", async () => {
    const url = new URL(POSTGRES_URL);
    url.pathname = "/orchestra_no_such_database";
    const started = Date.now();
    const error: unknown = await openPostgresStore(url.toString()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toMatch(/^cannot open the PostgreSQL store .*: database "orchestra_no_such_database" does not exist$/);
    expect(Date.now() - started).toBeLessThan(2_000); // not retried for the 30 s of a lost connection
  });

  it("two schedulers whose connections keep being killed dispatch every occurrence exactly once", async () => {
    const { schema, open } = database("killed");
    const [storeA, storeB] = await Promise.all([open(), open()]);
    const clock = new ManualClock(T0);
    // Every third (fourth) run of a transaction loses its connection mid-way: the store must run it again.
    const flakyA = flaky(storeA, 3);
    const flakyB = flaky(storeB, 4);
    const a = new Scheduler({ store: flakyA, queue: new RecordingQueue(), clock });
    const b = new Scheduler({ store: flakyB, queue: new RecordingQueue(), clock });
    const names = Array.from({ length: 25 }, (_, index) => `k${String(index).padStart(2, "0")}`);
    await a.define(names.map(job), "file:schedule.yaml");
    await b.load();

    // Meanwhile the server drops every connection of both stores now and then, as a restart would.
    let killing = true;
    let killed = 0;
    const killer = (async () => {
      while (killing) {
        killed += await terminateConnections(schema);
        await sleep(50);
      }
    })();
    killer.catch(() => undefined); // awaited below; this only keeps a failure from being reported twice
    const seconds = 20;
    try {
      for (let second = 0; second < seconds; second++) {
        clock.advance(1_000);
        await Promise.all([untilCommitted(() => a.tick()), untilCommitted(() => b.tick())]);
      }
    } finally {
      killing = false;
      await killer;
    }

    expect(killed).toBeGreaterThan(0);
    expect(flakyA.runs).toBeGreaterThan(flakyA.writes); // transactions were run again…
    expect(flakyB.runs).toBeGreaterThan(flakyB.writes);
    const { occurrences, runs, jobs } = await readLedger(storeA);
    const expected = names.flatMap((name) => Array.from({ length: seconds }, (_, n) => `${name}@${(n + 1) * 1_000}`));
    expect(occurrences.map((o) => `${o.job_name}@${o.due_at - T0}`).sort()).toEqual(expected.sort());
    expect(runs).toHaveLength(occurrences.length);
    expect(new Set(runs.map((run) => run.occurrence_id)).size).toBe(occurrences.length);
    expect(jobs.map((stored) => stored.attempts)).toEqual(names.map(() => seconds));
  }, 60_000);
});

describe("a PostgreSQL server that goes away and comes back (a restart, through a proxy that stops and starts)", () => {
  it("fails reads at once as the store's; the tick waiting meanwhile commits once it is back, and no occurrence is lost or doubled", async () => {
    const { schema } = database("outage");
    const server = new URL(POSTGRES_URL);
    const proxy = new TcpProxy(server.hostname, Number(server.port || 5432));
    await proxy.start();
    cleanups.push(() => proxy.stop());
    const url = new URL(postgresUrl(schema));
    url.port = String(proxy.port);
    const store = await openPostgresStore(url.toString(), { reconnectTimeoutMs: 20_000, connectTimeoutMs: 1_000 });
    cleanups.push(() => store.close());
    const clock = new ManualClock(T0);
    const scheduler = new Scheduler({ store, queue: new RecordingQueue(), clock });
    const names = ["a", "b", "c"];
    await scheduler.define(names.map(job), "file:schedule.yaml"); // every second, missed: all
    const tick = async (): Promise<void> => {
      clock.advance(1_000);
      await untilCommitted(() => scheduler.tick());
    };
    for (let second = 0; second < 3; second++) await tick();

    await proxy.stop();
    const read: unknown = await jobsRepository.all(store.db).catch((error: unknown) => error);
    expect(read).toBeInstanceOf(StoreError);
    expect((read as StoreError).message).toMatch(/^the PostgreSQL store postgresql:\/\/.* is unreachable: /);
    clock.advance(2_000); // two more seconds fall due while the server is away: the next tick waits for it
    let committed = false;
    const waiting = tick().then(() => {
      committed = true;
    });
    await sleep(1_500);
    expect(committed).toBe(false);
    await proxy.start();
    await waiting;
    for (let second = 0; second < 3; second++) await tick();

    const { occurrences, runs, jobs } = await readLedger(store);
    const seconds = 9;
    const expected = names.flatMap((name) => Array.from({ length: seconds }, (_, n) => `${name}@${String((n + 1) * 1_000)}`));
    expect(occurrences.map((o) => `${o.job_name}@${String(o.due_at - T0)}`).sort()).toEqual(expected.sort());
    // The tick at 6 s judged lateness against its start: 4 s, over the 1 s grace, is a catch-up (missed: all); none is missed.
    const outcomes = (outcome: string): string[] => occurrences.filter((o) => o.outcome === outcome).map((o) => `${o.job_name}@${String(o.due_at - T0)}`);
    expect(outcomes("catch-up").sort()).toEqual(["a@4000", "b@4000", "c@4000"]);
    expect(outcomes("missed")).toEqual([]);
    expect(runs).toHaveLength(occurrences.length);
    expect(jobs.map((stored) => stored.attempts)).toEqual(names.map(() => seconds));
  }, 60_000);
});

/**
 * The store, but every `every`-th run of a transaction loses its connection before its work's first
 * statement. Counts the writes asked for and the runs they took.
 */
function flaky(store: Store, every: number): Store & { readonly writes: number; readonly runs: number } {
  let writes = 0;
  let runs = 0;
  return {
    dialect: store.dialect,
    db: store.db,
    location: store.location,
    close: () => store.close(),
    get writes() {
      return writes;
    },
    get runs() {
      return runs;
    },
    write: (work) => {
      writes++;
      return store.write(async (tx) => {
        if (++runs % every === 0) await loseConnection(tx);
        return work(tx);
      });
    },
  };
}

/**
 * Runs a scheduler step again when its commit's outcome was unknown, as the scheduler's own loop does
 * a second later: dispatch is keyed by occurrence, so running it again is safe.
 */
async function untilCommitted<T>(step: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof CommitUnknownError)) throw error;
    }
  }
}
