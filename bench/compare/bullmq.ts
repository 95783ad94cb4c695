/**
 * BullMQ job schedulers: one `upsertJobScheduler(id, { pattern, tz: "UTC" })` per job on a fresh
 * queue (own key prefix, deleted afterwards) and one Worker (concurrency 50, no-op processor) in
 * this process, running from before the upserts: BullMQ moves a scheduler's next delayed job forward when a worker takes the
 * current one, so a worker is part of the scheduler. Due = the millis in the job id
 * (`repeat:<scheduler>:<millis>`); dispatched = `job.processedOn`, the instant a worker took it from
 * wait (delayed jobs are promoted by the worker's own fetch, so this is when a consumer first sees it).
 * Start-up: after the window the worker is closed for a second, then a new one is timed to its first job.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Queue, Worker, type Job } from "bullmq";
import { mixJobs, type Observation } from "./mix.ts";
import { herdInstant, observeWindow, type LatenessArgs, type LatenessResult } from "./protocol.ts";
import { connect, deleteByPrefix, usedMemory } from "./redis.ts";

const PREFIX = "obench";

export async function bullmqLateness(args: LatenessArgs): Promise<LatenessResult> {
  const herdAtMs = args.mix === "herd" ? herdInstant(args.leadMs) : 0;
  const jobs = mixJobs(args.mix, args.jobs, herdAtMs);
  const name = `lateness-${process.pid}-${Date.now()}`;
  const redis = connect();
  const connection = connect();
  const queue = new Queue(name, { connection, prefix: PREFIX });
  const notes: string[] = [];
  try {
    const observations: Observation[] = [];
    let firstAt = NaN;
    const startWorker = (): Worker => {
      const worker = new Worker(
        name,
        (job: Job) => {
          if (Number.isNaN(firstAt)) firstAt = performance.now();
          const parts = (job.id ?? "").split(":");
          observations.push({ job: Number((parts[1] ?? "").slice(4)), dueMs: Number(parts[2]), atMs: job.processedOn ?? Date.now() });
          return Promise.resolve();
        },
        { connection: connect(), prefix: PREFIX, concurrency: 50 },
      );
      worker.on("error", (error) => {
        if (notes.length < 5) notes.push(`worker error: ${error.message}`);
      });
      return worker;
    };
    // The worker runs while the schedulers are added, as in production: no backlog piles up during set-up.
    let worker = startWorker();
    const memoryBefore = await usedMemory(redis);
    const setupStarted = performance.now();
    const batch = 500;
    for (let from = 0; from < jobs.length; from += batch) {
      await Promise.all(
        jobs.slice(from, from + batch).map((job, k) =>
          queue.upsertJobScheduler(
            `job-${from + k}`,
            { pattern: job.pattern, tz: "UTC" },
            { name: "tick", opts: { removeOnComplete: true, removeOnFail: true } },
          ),
        ),
      );
    }
    const setupMs = performance.now() - setupStarted;
    const storeBytes = (await usedMemory(redis)) - memoryBefore;
    if (args.mix === "herd" && Date.now() > herdAtMs) notes.push(`set-up overran the herd's instant by ${Date.now() - herdAtMs} ms`);
    const window = await observeWindow(args, jobs, observations, herdAtMs);
    const memoryBytes = (await usedMemory(redis)) - memoryBefore;
    // Start-up with the jobs stored: a new worker after a second without one (its jobs are then due).
    await worker.close(true);
    await sleep(1000);
    firstAt = NaN;
    const started = performance.now();
    worker = startWorker();
    // (staggered only: a herd's jobs are not due again within the hour)
    while (args.mix === "staggered" && Number.isNaN(firstAt) && performance.now() - started < 10_000) await sleep(5);
    await worker.close(true);
    return {
      system: "bullmq",
      mix: args.mix,
      jobs: args.jobs,
      setupMs,
      startToFirstMs: firstAt - started,
      storeBytesPerJob: storeBytes / args.jobs,
      memoryBytes,
      ...window,
      notes,
    };
  } finally {
    await queue.close();
    await deleteByPrefix(redis, `${PREFIX}:${name}:`);
    // A closing worker's last fetch can still add a scheduler's next job: sweep once more.
    await sleep(500);
    await deleteByPrefix(redis, `${PREFIX}:${name}:`);
    redis.disconnect();
    connection.disconnect();
  }
}
