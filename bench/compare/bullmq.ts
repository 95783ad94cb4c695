/**
 * BullMQ job schedulers: one `upsertJobScheduler(id, { pattern, tz: "UTC" })` per job on a fresh
 * queue (own key prefix, deleted afterwards) and one Worker (concurrency 50, no-op processor) in
 * this process: BullMQ moves a scheduler's next delayed job forward when a worker takes the
 * current one, so a worker is part of the scheduler. Due = the millis in the job id
 * (`repeat:<scheduler>:<millis>`); dispatched = `job.processedOn`, the instant a worker took it from
 * wait (delayed jobs are promoted by the worker's own fetch, so this is when a consumer first sees it).
 */
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

    const observations: Observation[] = [];
    let firstAt = NaN;
    const started = performance.now();
    const worker = new Worker(
      name,
      (job: Job) => {
        if (Number.isNaN(firstAt)) firstAt = performance.now();
        const id = job.id ?? "";
        const parts = id.split(":");
        observations.push({ job: Number((parts[1] ?? "").slice(4)), dueMs: Number(parts[2]), atMs: job.processedOn ?? Date.now() });
        return Promise.resolve();
      },
      { connection: connect(), prefix: PREFIX, concurrency: 50 },
    );
    worker.on("error", (error) => {
      if (notes.length < 5) notes.push(`worker error: ${error.message}`);
    });
    if (args.mix === "herd" && Date.now() > herdAtMs) notes.push(`set-up overran the herd's instant by ${Date.now() - herdAtMs} ms`);
    const window = await observeWindow(args, jobs, observations, herdAtMs);
    const memoryBytes = (await usedMemory(redis)) - memoryBefore;
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
    redis.disconnect();
    connection.disconnect();
  }
}
