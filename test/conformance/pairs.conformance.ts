import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Orchestra, type OrchestraEvent } from "../../src/index.ts";
import type { JobDefinition } from "../../src/jobs/definition.ts";
import { ManualClock } from "../../src/scheduler/clock.ts";
import type { RunRow } from "../../src/store/schema.ts";
import type { Store } from "../../src/store/store.ts";
import { readLedger } from "../support/ledger.ts";
import type { BrokerTally } from "../support/pair-brokers.ts";
import { openPairProcess, type PairProcess } from "../support/pair-process.ts";

/** A broker and a store of one test's own: a fresh Redis key prefix, PostgreSQL schema or SQLite file. */
export interface FreshPair {
  /** The broker and backend as a user gives them to Orchestra (`--broker`, `--backend`). */
  readonly broker: string;
  readonly backend: string;
  /** Counts the broker's tasks (a SQLite queue is read through `store`, a store on its file). */
  tally(store: Store): Promise<BrokerTally>;
  /** Closes what `tally` opened and removes the prefix, schema or file. */
  dispose(): Promise<void>;
}

export interface PairFactory {
  /** Shown in test names, with the reason when skipped: "Redis broker + PostgreSQL store". */
  readonly name: string;
  /** True when a service the pair needs is missing here: the suite is skipped (its name says why). */
  readonly skip?: boolean;
  fresh(): Promise<FreshPair>;
}

const TASKS = fileURLToPath(new URL("../fixtures/pairs/tasks.mjs", import.meta.url));
const MINUTE = 60_000;
/** Waiting for workers: generous, since a whole `npm test` shares two cores; a pass takes far less. */
const WAIT = { timeout: 20_000, interval: 20 };
const SLOW_TEST_MS = 30_000;

/**
 * Schedule time, on a minute a day behind the real clock. The embedded queue holds a message until its
 * instant by the real clock (BullMQ counts the delay from the scheduler's), so a schedule driven by hand
 * in the past makes every occurrence runnable at once on both brokers.
 */
function scheduleStart(): number {
  return Math.floor((Date.now() - 86_400_000) / MINUTE) * MINUTE;
}

function job(name: string, task: string, extra: Partial<JobDefinition> = {}): JobDefinition {
  return { name, module: TASKS, task, timing: "every 1 minute", timezone: "UTC", tags: [], options: {}, missed: "once", maxCatchup: 100, ...extra };
}

function runsOf(store: Store, jobName: string): Promise<RunRow[]> {
  return store.db.selectFrom("runs").selectAll().where("job_name", "=", jobName).orderBy("occurrence_id").orderBy("attempt").execute();
}

async function finishedRuns(store: Store, jobName: string): Promise<number> {
  return (await runsOf(store, jobName)).filter((run) => run.status === "success" || run.status === "failure").length;
}

function jobRow(store: Store, name: string) {
  return store.db.selectFrom("jobs").selectAll().where("name", "=", name).executeTakeFirstOrThrow();
}

/**
 * What every broker + store pair must do, through real services: dispatch each occurrence once, run it
 * once, record every attempt, retry, pause and resume through the store, and survive a worker that
 * stops mid-task. Each pair's test file calls this with its factory; what only one backend does
 * (Redis restarts, SQLite leases, PostgreSQL reconnects) is tested in that backend's own files.
 */
export function pairConformance(factory: PairFactory): void {
  let cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups = [];
  });

  async function freshPair(): Promise<FreshPair> {
    const pair = await factory.fresh();
    cleanups.push(() => pair.dispose());
    return pair;
  }

  /** One process on the pair (another call: another process on the same pair); its clock starts at `start`. */
  async function openProcess(pair: FreshPair, start: number): Promise<PairProcess> {
    const opened = await openPairProcess(pair, new ManualClock(start));
    cleanups.push(() => opened.close());
    return opened;
  }

  async function oneProcess(): Promise<{ pair: FreshPair; side: PairProcess; start: number }> {
    const pair = await freshPair();
    const start = scheduleStart();
    return { pair, side: await openProcess(pair, start), start };
  }

  /** Moves schedule time on by `ms` and runs one step of the scheduler, as its timer would. */
  async function advanceAndTick(side: PairProcess, ms: number): Promise<void> {
    side.clock.advance(ms);
    await side.scheduler.tick();
  }

  describe.skipIf(factory.skip === true)(`the ${factory.name} pair`, () => {
    it("runs a due occurrence once, on a worker, and records its run and the job's last run", async () => {
      const { pair, side, start } = await oneProcess();
      await side.scheduler.add(job("add", "add", { options: { args: [2, 3] } }), "code");
      const worker = side.startWorker();
      await advanceAndTick(side, MINUTE - 1);
      expect((await readLedger(side.store)).occurrences).toEqual([]); // not due yet
      await advanceAndTick(side, 1);

      await expect.poll(() => finishedRuns(side.store, "add"), WAIT).toBe(1);
      const { occurrences, runs } = await readLedger(side.store);
      expect(occurrences).toMatchObject([{ job_name: "add", due_at: start + MINUTE, origin: "schedule", outcome: "dispatched", lateness: 0 }]);
      expect(runs).toMatchObject([
        { occurrence_id: occurrences[0]?.id, attempt: 1, status: "success", result: "5", error: null, worker_id: worker.worker.id, queue: "default" },
      ]);
      const [run] = runs;
      expect(run?.started_at).toEqual(expect.any(Number));
      expect(run?.finished_at).toBeGreaterThanOrEqual(run?.started_at ?? Infinity);
      expect(await jobRow(side.store, "add")).toMatchObject({ last_run_status: "success", last_run_at: run?.finished_at, attempts: 1, failed_attempts: 0, next_due: start + 2 * MINUTE });
      expect(worker.started()).toBe(1);
      await expect.poll(() => pair.tally(side.store), WAIT).toMatchObject({ unfinished: 0 });
    });

    it(
      "two schedulers on one store and broker, driven over the same instants, dispatch every occurrence once, and each runs once",
      async () => {
        const JOBS = 20;
        const ROUNDS = 5;
        const pair = await freshPair();
        const start = scheduleStart();
        const first = await openProcess(pair, start);
        const names = Array.from({ length: JOBS }, (_, i) => `job-${String(i).padStart(2, "0")}`);
        await first.scheduler.define(
          names.map((name, i) => job(name, "add", { options: { args: [i, 1] } })),
          "file:shared.yaml",
        );
        const second = await openProcess(pair, start); // another process, on its own connections
        // Each process runs tasks too: two workers compete for every task.
        const workers = [first.startWorker({ concurrency: 8 }), second.startWorker({ concurrency: 8 })];

        for (let round = 0; round < ROUNDS; round++) {
          first.clock.advance(MINUTE);
          second.clock.advance(MINUTE);
          await Promise.all([first.scheduler.tick(), second.scheduler.tick()]);
        }

        const expected = JOBS * ROUNDS;
        const successes = async () => (await readLedger(first.store)).runs.filter((run) => run.status === "success").length;
        await expect.poll(successes, WAIT).toBe(expected);
        const { occurrences, runs, jobs } = await readLedger(first.store);
        const dueInstants = Array.from({ length: ROUNDS }, (_, round) => start + (round + 1) * MINUTE);
        expect(occurrences.map((o) => `${o.job_name}@${String(o.due_at)}`)).toEqual(names.flatMap((name) => dueInstants.map((due) => `${name}@${String(due)}`)));
        expect(runs).toHaveLength(expected); // one attempt for each occurrence, none started twice
        expect(runs.every((run) => run.attempt === 1 && run.status === "success")).toBe(true);
        expect(new Set(runs.map((run) => run.occurrence_id)).size).toBe(expected);
        expect(runs.find((run) => run.job_name === "job-07")?.result).toBe("8");
        expect(jobs.map((row) => row.attempts)).toEqual(names.map(() => ROUNDS));
        expect(workers.reduce((sum, worker) => sum + worker.started(), 0)).toBe(expected);
        await expect.poll(() => pair.tally(first.store), WAIT).toMatchObject({ unfinished: 0 });
        // A broker that keeps finished tasks (BullMQ) holds one for each occurrence: none was sent twice.
        expect([null, expected]).toContain((await pair.tally(first.store)).finished);
      },
      SLOW_TEST_MS,
    );

    it(
      "retries a failing task after its own backoff, one run per attempt, until it succeeds",
      async () => {
        const { side } = await oneProcess();
        await side.scheduler.add(job("flaky", "succeedsOnThirdAttempt"), "code"); // retries 2, after 0.2 s then 0.6 s
        const worker = side.startWorker();
        await advanceAndTick(side, MINUTE);

        await expect.poll(() => finishedRuns(side.store, "flaky"), WAIT).toBe(1);
        const runs = await runsOf(side.store, "flaky");
        expect(runs.map((run) => [run.attempt, run.status, run.error?.split("\n")[0] ?? null, run.result])).toEqual([
          [1, "retry", "Error: failure on attempt 1", null],
          [2, "retry", "Error: failure on attempt 2", null],
          [3, "success", null, "3"],
        ]);
        const starts = runs.map((run) => run.started_at ?? NaN);
        const [gap1, gap2] = [(starts[1] ?? NaN) - (starts[0] ?? NaN), (starts[2] ?? NaN) - (starts[1] ?? NaN)];
        // At least the task's backoff, growing by its factor, and short of the default one (1 s, then 2 s).
        expect(gap1).toBeGreaterThanOrEqual(200);
        expect(gap1).toBeLessThan(1_000);
        expect(gap2).toBeGreaterThanOrEqual(600);
        expect(gap2).toBeLessThan(2_000);
        expect(worker.events.flatMap((event) => (event.type === "run-failed" ? [event.retryAt !== null] : []))).toEqual([true, true]);
        expect(await jobRow(side.store, "flaky")).toMatchObject({ last_run_status: "success", failed_attempts: 2 });
      },
      SLOW_TEST_MS,
    );

    it("fails the run once its retries are used up (the job's, when it sets them, over the task's), counting every failed attempt", async () => {
      const { side, start } = await oneProcess();
      await side.scheduler.define(
        [
          job("no-retries", "fails"),
          job("task-retries", "alwaysFails"), // the task says 1 retry
          job("job-retries", "alwaysFails", { options: { retries: 2 } }),
        ],
        "code",
      );
      side.startWorker();
      await advanceAndTick(side, MINUTE);

      const attempts = async (name: string) => (await runsOf(side.store, name)).map((run) => [run.attempt, run.status, run.error]);
      await expect.poll(() => attempts("job-retries"), WAIT).toEqual([
        [1, "retry", "Error: always"],
        [2, "retry", "Error: always"],
        [3, "failure", "Error: always"],
      ]);
      await expect.poll(() => attempts("task-retries"), WAIT).toEqual([
        [1, "retry", "Error: always"],
        [2, "failure", "Error: always"],
      ]);
      const [failed] = await runsOf(side.store, "no-retries");
      expect(failed).toMatchObject({ attempt: 1, status: "failure", error: "Error: boom\nsecond line" });
      expect(failed?.error_stack).toMatch(/at fails .*tasks\.mjs/);
      // A failed run does not stop the schedule.
      const jobs = await Promise.all(["no-retries", "task-retries", "job-retries"].map((name) => jobRow(side.store, name)));
      expect(jobs.map((row) => [row.state, row.last_run_status, row.failed_attempts, row.next_due])).toEqual([
        ["running", "failure", 1, start + 2 * MINUTE],
        ["running", "failure", 2, start + 2 * MINUTE],
        ["running", "failure", 3, start + 2 * MINUTE],
      ]);
    });

    it("a manual trigger runs the job once now, also while paused, recorded with origin manual; its schedule is unchanged", async () => {
      const { pair, side, start } = await oneProcess();
      await side.scheduler.add(job("by-hand", "add", { options: { args: [20, 22] } }), "code");
      await side.scheduler.pause("by-hand");
      const worker = side.startWorker();
      side.clock.advance(1_000);
      const occurrenceId = await side.scheduler.trigger("by-hand");

      await expect.poll(() => finishedRuns(side.store, "by-hand"), WAIT).toBe(1);
      const { occurrences, runs } = await readLedger(side.store);
      expect(occurrences).toMatchObject([{ id: occurrenceId, job_name: "by-hand", origin: "manual", due_at: start + 1_000, outcome: "dispatched" }]);
      expect(runs).toMatchObject([{ occurrence_id: occurrenceId, attempt: 1, status: "success", result: "42", worker_id: worker.worker.id }]);
      expect(worker.started()).toBe(1);
      expect(await jobRow(side.store, "by-hand")).toMatchObject({ state: "paused", next_due: start + MINUTE, attempts: 1, last_run_status: "success" });
      await expect.poll(() => pair.tally(side.store), WAIT).toMatchObject({ unfinished: 0 });
    });

    it("a pause stops dispatch and a resume restarts it, without replaying what fell due, also for another scheduler on the store", async () => {
      const pair = await freshPair();
      const start = scheduleStart();
      const [here, there] = [await openProcess(pair, start), await openProcess(pair, start)];
      await here.scheduler.add(job("switched", "add", { options: { args: [1, 1] } }), "code");
      await there.scheduler.sync(); // the other scheduler holds the job, running
      there.startWorker();
      await here.scheduler.pause("switched");

      const both = async (ms: number) => {
        for (const side of [here, there]) side.clock.advance(ms);
        await Promise.all([here.scheduler.tick(), there.scheduler.tick()]);
      };
      await both(2 * MINUTE); // two due instants pass while paused
      expect((await readLedger(here.store)).occurrences).toEqual([]);

      await both(MINUTE / 2);
      expect(await here.scheduler.resume("switched")).toEqual({ name: "switched", state: "running", changed: true });
      there.clock.advance(MINUTE / 2);
      await there.scheduler.tick(); // only the other scheduler runs now: it learns of the resume from the store

      await expect.poll(() => finishedRuns(here.store, "switched"), WAIT).toBe(1);
      const { occurrences, runs } = await readLedger(here.store);
      expect(occurrences.map((o) => [o.due_at - start, o.origin])).toEqual([[3 * MINUTE, "schedule"]]);
      expect(runs).toMatchObject([{ status: "success", result: "2" }]);
      expect(await jobRow(here.store, "switched")).toMatchObject({ state: "running", next_due: start + 4 * MINUTE });
    });

    it("a worker stopped with grace lets its running task finish and has recorded it when stop resolves", async () => {
      const { side } = await oneProcess();
      await side.scheduler.add(job("napper", "nap", { options: { args: [300] } }), "code");
      const worker = side.startWorker();
      await side.scheduler.trigger("napper");
      await expect.poll(() => worker.started(), WAIT).toBe(1);
      await worker.worker.stop(10_000);
      expect(await runsOf(side.store, "napper")).toMatchObject([{ attempt: 1, status: "success", result: JSON.stringify("rested") }]);
    });

    it(
      "a worker stopped mid-task records the attempt as interrupted, and another worker completes the occurrence, once",
      async () => {
        const { pair, side } = await oneProcess();
        // No retries: an interrupted attempt is not a failure, the occurrence must still be run.
        await side.scheduler.add(job("long", "napOnFirstAttempt", { options: { retries: 0 } }), "code");
        // Short leases: should a stopped worker's task be handed on only once its lease (BullMQ: its lock,
        // which the other worker's stall check reads) runs out, that takes a second, not the default 30 s.
        const leaving = side.startWorker({ leaseMs: 1_000 });
        const occurrenceId = await side.scheduler.trigger("long");
        await expect.poll(() => leaving.started(), WAIT).toBe(1);

        const stopping = Date.now();
        await leaving.worker.stop(50);
        expect(Date.now() - stopping).toBeLessThan(5_000); // it did not wait for the 30 s task
        const interrupted = await runsOf(side.store, "long");
        expect(interrupted).toMatchObject([
          { attempt: 1, status: "retry", worker_id: leaving.worker.id, error: "interrupted: the worker stopped before the task finished" },
        ]);
        const staying = side.startWorker({ leaseMs: 1_000 }); // as a worker restarted, or one more started

        await expect.poll(() => finishedRuns(side.store, "long"), WAIT).toBe(1);
        const runs = await runsOf(side.store, "long");
        expect(runs.map((run) => [run.occurrence_id, run.attempt, run.status, run.worker_id])).toEqual([
          [occurrenceId, 1, "retry", leaving.worker.id],
          [occurrenceId, 2, "success", staying.worker.id],
        ]);
        expect(runs[1]?.result).toBe(JSON.stringify("finished on attempt 2"));
        expect([leaving.started(), staying.started()]).toEqual([1, 1]);
        await expect.poll(() => pair.tally(side.store), WAIT).toMatchObject({ unfinished: 0 });
        // The task did not fail: the stop is not counted against the job, as a dead worker's lease is not.
        expect(await jobRow(side.store, "long")).toMatchObject({ failed_attempts: 0, last_run_status: "success" });
      },
      SLOW_TEST_MS,
    );

    it("the Orchestra class composes the pair: its worker runs a trigger and a scheduled occurrence, and health sees both up", async () => {
      const pair = await freshPair();
      const clock = new ManualClock(scheduleStart());
      const events: OrchestraEvent[] = [];
      const orchestra = new Orchestra({ broker: pair.broker, backend: pair.backend, clock, onEvent: (event) => events.push(event) });
      cleanups.push(() => orchestra.stop(0));
      await orchestra.scheduleTask({ name: "double", module: TASKS, task: "add", timing: "every 1 minute", options: { args: [21, 21] } });
      const running = orchestra.run();
      await orchestra.triggerJob("double");
      await expect.poll(() => clock.pendingTimers, WAIT).toBeGreaterThan(0); // the scheduler's loop is armed
      clock.advance(MINUTE);

      await expect.poll(async () => (await orchestra.getRuns("double")).filter((run) => run.status === "success").length, WAIT).toBe(2);
      expect((await orchestra.getRuns("double")).map((run) => run.result)).toEqual(["42", "42"]);
      expect(events.filter((event) => event.type === "run-succeeded")).toHaveLength(2);
      expect(await orchestra.health()).toEqual({ ok: true, store: { ok: true }, broker: { ok: true } });
      await orchestra.stop(1_000);
      await running;
    });
  });
}
