import type { Queue } from "bullmq";
import { afterEach, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import { connectionOf } from "../../src/broker/bullmq/connection.ts";
import { outbox, type OutboxSchema } from "../../src/broker/bullmq/outbox.ts";
import type { JobDefinition } from "../../src/jobs/definition.ts";
import { ManualClock } from "../../src/scheduler/clock.ts";
import type { RunRow } from "../../src/store/schema.ts";
import type { Store } from "../../src/store/store.ts";
import { BullmqWorker } from "../../src/worker/bullmq-worker.ts";
import type { WorkerEvent } from "../../src/worker/events.ts";
import { bullmqScheduler, bullmqWorker, inspectQueue, resolveTask, workerJob } from "../support/bullmq.ts";
import { dropPrefix, REDIS_SUITE_NOTE, redisAt, redisUp, testPrefix } from "../support/redis.ts";
import { openTempStore } from "../support/store.ts";

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const FINAL = new Set(["success", "failure", "expired"]);

/** A scheduler and a BullMQ worker on one SQLite file and a prefix of their own; the clock is driven by hand. */
async function setUp(start = Date.now(), publisherOptions: Parameters<typeof bullmqScheduler>[3] = {}) {
  const temp = await openTempStore();
  const prefix = testPrefix();
  const redis = redisAt(prefix);
  const clock = new ManualClock(start);
  const dispatch = await bullmqScheduler(temp.store, redis, clock, publisherOptions);
  const { worker, events } = bullmqWorker(temp.store, redis);
  const queue = inspectQueue(redis);
  cleanups.push(async () => {
    await worker.stop(0);
    await dispatch.close();
    await queue.close();
    await dropPrefix(prefix);
    await temp.cleanup();
  });
  return { store: temp.store, clock, scheduler: dispatch.scheduler, worker, events, queue };
}

function runsOf(store: Store): Promise<RunRow[]> {
  return store.db.selectFrom("runs").selectAll().orderBy("id").execute();
}

/** Triggers a job and waits (up to 15 s) until its occurrence has a final run. */
async function runToEnd(definition: JobDefinition, start?: number) {
  const context = await setUp(start);
  await context.scheduler.add(definition, "code");
  const occurrenceId = await context.scheduler.trigger(definition.name);
  await expect.poll(async () => (await runsOf(context.store)).some((run) => FINAL.has(run.status)), { timeout: 15_000, interval: 20 }).toBe(true);
  return { ...context, occurrenceId, runs: await runsOf(context.store) };
}

async function jobState(queue: Queue, occurrenceJobId: string): Promise<string | undefined> {
  return (await queue.getJob(occurrenceJobId))?.getState();
}

// What every broker + store pair does (running, retrying, stopping a worker) is the pairs conformance
// suite's (test/conformance/pairs.*.test.ts); here is what only BullMQ and its outbox do.
describe.skipIf(!redisUp)(`the scheduler and a BullMQ worker on a SQLite store${REDIS_SUITE_NOTE}`, () => {
  it("reports Redis away as a worker error that names it and says why, and goes on trying", async () => {
    const temp = await openTempStore();
    const events: WorkerEvent[] = [];
    const away = redisAt(testPrefix(), 1);
    const worker = new BullmqWorker({ store: temp.store, connection: connectionOf(away), prefix: away.prefix, location: "redis://127.0.0.1:1/0", resolveTask, onEvent: (e) => events.push(e) });
    cleanups.push(async () => {
      await worker.stop(0);
      await temp.cleanup();
    });
    worker.start();
    await expect.poll(() => events.filter((e) => e.type === "worker-error").length, { timeout: 10_000, interval: 20 }).toBeGreaterThan(1);
    const [first] = events.flatMap((e) => (e.type === "worker-error" ? [e.error] : []));
    expect((first as Error).message).toBe("Redis at redis://127.0.0.1:1/0: connect ECONNREFUSED 127.0.0.1:1");
    expect((first as Error).cause).toMatchObject({ code: "ECONNREFUSED" });
  });

  it("lets an occurrence go from the outbox once its run has finished: nothing is left to re-publish", async () => {
    const context = await setUp();
    await context.scheduler.add(workerJob("add", "add", { options: { args: [2, 3] } }), "code");
    context.clock.advance(3_600_000);
    await context.scheduler.tick();
    await expect.poll(async () => (await runsOf(context.store))[0]?.status, { timeout: 15_000, interval: 20 }).toBe("success");
    await expect.poll(() => outbox.unpublishedCount(context.store.db)).toBe(0);
    const rows = await (context.store.db as unknown as Kysely<OutboxSchema>).selectFrom("bullmq_outbox").selectAll().execute();
    expect(rows).toEqual([]); // the run finished: nothing to re-publish
  });

  it("ends a failed task's BullMQ job as failed after one attempt, so that BullMQ does not retry it on its own", async () => {
    const { runs, queue, events } = await runToEnd(workerJob("explode", "explode"));
    expect(runs).toMatchObject([{ status: "failure", attempt: 1 }]);
    // The run is recorded before the processor throws; BullMQ marks the job failed just after.
    await expect.poll(async () => (await queue.getFailed()).map((job) => job.attemptsMade), { timeout: 5_000, interval: 20 }).toEqual([1]);
    expect(events.filter((e) => e.type === "run-failed")).toMatchObject([{ attempt: 1, retryAt: null }]);
  });

  it("records a message past its expiry as expired, without running it", async () => {
    const { runs, events } = await runToEnd(workerJob("late", "add", { options: { expires: 1 } }), Date.now() - 3_600_000);
    expect(runs).toMatchObject([{ status: "expired" }]);
    expect(runs[0]?.error).toMatch(/^expired: not started by/);
    expect(events.some((e) => e.type === "run-succeeded")).toBe(false);
  });

  it("goes on counting attempts when Redis lost a job waiting for its retry and the outbox sent it again", async () => {
    const context = await setUp(Date.now(), { republishAfterMs: 0, recoverEveryMs: 50 });
    await context.scheduler.add(workerJob("explode", "explode", { options: { retries: 1 } }), "code"); // retried after 1 s
    await context.scheduler.trigger("explode");
    await expect.poll(async () => (await runsOf(context.store))[0]?.status, { timeout: 10_000, interval: 10 }).toBe("retry");
    await context.queue.obliterate({ force: true }); // Redis lost the delayed retry
    await expect.poll(async () => (await runsOf(context.store)).some((run) => FINAL.has(run.status)), { timeout: 10_000, interval: 20 }).toBe(true);
    expect((await runsOf(context.store)).map((run) => [run.attempt, run.status])).toEqual([
      [1, "retry"],
      [2, "failure"],
    ]);
    // Two attempts in all: the re-sent job was the second, not a first one over again.
    expect(context.events.flatMap((e) => (e.type === "run-started" ? [e.attempt] : []))).toEqual([1, 2]);
  });

  it("does not run again an occurrence whose run has finished, should its job come back", async () => {
    const context = await runToEnd(workerJob("once", "add", { options: { args: [1, 1] } }));
    const [run] = context.runs;
    // As if the job came back after Redis lost the finished one: same occurrence, a new BullMQ job.
    const again = await context.queue.add("once", { occurrenceId: context.occurrenceId, jobName: "once", module: "x", task: "add", args: [], kwargs: null, retries: null, timeout: null, expiresAt: null }, { jobId: "once@again" });
    await expect.poll(() => jobState(context.queue, again.id ?? ""), { timeout: 10_000 }).toBe("completed");
    expect(await runsOf(context.store)).toEqual([run]);
  });

  it("runs a higher priority first: the queue's default priority is then ranked too; elsewhere it stays unprioritised, ahead of lower ones", async () => {
    const temp = await openTempStore();
    const prefix = testPrefix();
    const redis = redisAt(prefix);
    const dispatch = await bullmqScheduler(temp.store, redis, new ManualClock(Date.now()));
    const queues = { mixed: inspectQueue(redis, "mixed"), plain: inspectQueue(redis, "plain") };
    cleanups.push(async () => {
      await dispatch.close();
      for (const queue of Object.values(queues)) await queue.close();
      await dropPrefix(prefix);
      await temp.cleanup();
    });
    const jobs = [
      workerJob("mixed-default", "add", { options: { queue: "mixed" } }),
      workerJob("mixed-high", "add", { options: { queue: "mixed", priority: 5 } }),
      workerJob("plain-low", "add", { options: { queue: "plain", priority: -1 } }),
      workerJob("plain-default", "add", { options: { queue: "plain" } }),
    ];
    for (const job of jobs) await dispatch.scheduler.add(job, "code");
    for (const job of jobs) await dispatch.scheduler.trigger(job.name); // in this order, before any worker runs
    await dispatch.publisher.flush();
    expect(await queues.mixed.getJobCounts("wait", "prioritized")).toEqual({ wait: 0, prioritized: 2 });
    expect(await queues.plain.getJobCounts("wait", "prioritized")).toEqual({ wait: 1, prioritized: 1 });
    const worker = bullmqWorker(temp.store, redis, { concurrency: 1, queues: ["mixed", "plain"] });
    cleanups.push(() => worker.worker.stop(0)); // cleanups run last first: before the rest goes
    await expect.poll(() => worker.events.filter((e) => e.type === "run-succeeded").length, { timeout: 10_000, interval: 20 }).toBe(4);
    const started = worker.events.flatMap((e) => (e.type === "run-started" ? [e.job] : []));
    expect(started.filter((name) => name.startsWith("mixed"))).toEqual(["mixed-high", "mixed-default"]);
    expect(started.filter((name) => name.startsWith("plain"))).toEqual(["plain-default", "plain-low"]);
  });
});
