import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { sqliteQueue } from "../../src/broker/sqlite/queue.ts";
import { asQueueDb, SqliteTaskQueue } from "../../src/broker/sqlite/sqlite-task-queue.ts";
import type { JobDefinition } from "../../src/jobs/definition.ts";
import { Scheduler } from "../../src/scheduler/scheduler.ts";
import { taskOptionsOf, type AnyFunction } from "../../src/tasks/task.ts";
import type { WorkerEvent } from "../../src/worker/events.ts";
import { SqliteWorker } from "../../src/worker/sqlite-worker.ts";
import { moduleTaskResolver } from "../../src/worker/module-resolver.ts";
import type { TaskResolver } from "../../src/worker/task-resolver.ts";
import { openTempStore } from "../support/store.ts";

const TASKS = fileURLToPath(new URL("../fixtures/worker/tasks.mjs", import.meta.url));

const resolveTask: TaskResolver = async (module, name) => {
  const exports = (await import(module)) as Record<string, AnyFunction>;
  const fn = exports[name];
  if (fn === undefined) throw new Error(`no task ${name}`);
  return { fn, options: taskOptionsOf(fn, name) };
};

function job(name: string, task: string, extra: Partial<JobDefinition> = {}): JobDefinition {
  return { name, module: TASKS, task, timing: "every 1 hour", timezone: "UTC", tags: [], options: {}, missed: "once", maxCatchup: 100, ...extra };
}

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A scheduler and a worker on one real SQLite file; the job is triggered by hand, the worker runs for real. */
async function runOnce(
  definition: JobDefinition,
  until: (events: WorkerEvent[]) => boolean,
  workerOptions: { leaseMs?: number; resolveTask?: TaskResolver } = {},
) {
  const temp = await openTempStore();
  const scheduler = new Scheduler({ store: temp.store, queue: new SqliteTaskQueue() });
  await scheduler.load();
  await scheduler.add(definition, "code");
  const events: WorkerEvent[] = [];
  const worker = new SqliteWorker({ store: temp.store, resolveTask, pollMs: 5, onEvent: (e) => events.push(e), ...workerOptions });
  cleanups.push(async () => {
    await worker.stop(0);
    await temp.cleanup();
  });
  worker.start();
  await scheduler.trigger(definition.name);
  worker.notify();
  await expect.poll(() => until(events), { timeout: 10_000, interval: 5 }).toBe(true);
  await worker.stop(1_000);
  const runs = await temp.store.db.selectFrom("runs").selectAll().orderBy("id").execute();
  const jobRow = await temp.store.db.selectFrom("jobs").selectAll().executeTakeFirstOrThrow();
  const depth = await sqliteQueue.depth(asQueueDb(temp.store.db));
  return { runs, job: jobRow, depth, events, store: temp.store };
}

const finished = (events: WorkerEvent[]): boolean => events.some((e) => e.type === "run-succeeded" || (e.type === "run-failed" && e.retryAt === null) || e.type === "run-expired");

// What every broker + store pair does (running, retrying, failing, stopping a worker) is the pairs
// conformance suite's (test/conformance/pairs.*.test.ts); here is what the embedded queue's worker adds.
describe("the worker on a real SQLite queue", () => {
  it("passes kwargs as one object after the positional args", async () => {
    const { runs } = await runOnce(job("greet", "greet", { options: { args: ["ada"], kwargs: { greeting: "hi" } } }), finished);
    expect(runs[0]?.result).toBe(JSON.stringify("hi ada"));
  });

  it("fails a task past its timeout", async () => {
    const { runs } = await runOnce(job("slow", "slow", { options: { timeout: 0.05 } }), finished);
    expect(runs).toMatchObject([{ status: "failure", error: "TaskTimeoutError: timed out after 0.05 s" }]);
  });

  it("records a message past its expiry as expired, without running it", async () => {
    const { runs } = await runOnce(job("expired", "add", { options: { expires: -1 } }), finished);
    expect(runs).toMatchObject([{ status: "expired" }]);
  });

  it("records a module that fails to import as a failed run with the cause, not a crash", async () => {
    const broken = fileURLToPath(new URL("../fixtures/worker/broken.mjs", import.meta.url));
    const { runs, job: row } = await runOnce(job("broken", "anything", { module: broken }), finished, { resolveTask: moduleTaskResolver() });
    expect(runs).toMatchObject([{ status: "failure" }]);
    expect(runs[0]?.error).toContain("cannot connect to the mainframe");
    expect(row.state).toBe("running");
  });

  it("delivers a message again when its worker died (lease ran out), counting the attempt", async () => {
    const temp = await openTempStore();
    cleanups.push(temp.cleanup);
    const scheduler = new Scheduler({ store: temp.store, queue: new SqliteTaskQueue() });
    await scheduler.load();
    await scheduler.add(job("add", "add", { options: { args: [1, 1] } }), "code");
    await scheduler.trigger("add");
    // A worker that claims and then dies: its lease (10 ms) runs out.
    await temp.store.write((tx) => sqliteQueue.claim(asQueueDb(tx), ["default"], "dead-worker", 1, 10, Date.now()));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const worker = new SqliteWorker({ store: temp.store, resolveTask, pollMs: 5 });
    worker.start();
    await expect
      .poll(async () => (await temp.store.db.selectFrom("runs").select(["attempt", "status"]).orderBy("id").execute()).map((r) => `${r.attempt}:${r.status}`), {
        timeout: 5_000,
        interval: 10,
      })
      .toEqual(["1:retry", "2:success"]); // the first attempt: interrupted, its worker having died
    await worker.stop(1_000);
  });

  it("a message sent ahead of its due instant starts at that instant: notify(readyAt) wakes the worker then, not at its next poll", async () => {
    const temp = await openTempStore();
    cleanups.push(temp.cleanup);
    // As a scheduler with a lookahead sends it: held by the queue until its due instant, 300 ms away.
    const dueAt = Date.now() + 300;
    await temp.store.write((tx) =>
      sqliteQueue.enqueue(
        asQueueDb(tx),
        [{ queue: "default", priority: 0, availableAt: dueAt, dueAt, origin: "schedule", message: { occurrenceId: 1, jobName: "add", module: TASKS, task: "add", args: [2, 3], kwargs: null, retries: null, timeout: null, expiresAt: null } }],
        Date.now(),
      ),
    );
    const started: number[] = [];
    const worker = new SqliteWorker({
      store: temp.store,
      resolveTask,
      pollMs: 60_000, // polling alone would start it a minute late
      onEvent: (event) => {
        if (event.type === "run-started") started.push(Date.now());
      },
    });
    cleanups.push(() => worker.stop(0));
    worker.start();
    worker.notify(dueAt);
    await expect.poll(() => started.length, { timeout: 10_000, interval: 5 }).toBeGreaterThan(0);
    expect(started[0]).toBeGreaterThanOrEqual(dueAt);
    expect((started[0] ?? Infinity) - dueAt).toBeLessThan(1_000);
  }, 15_000); // the poll's own limit (10 s) decides, with its message, on a machine busy with the other suites
});
