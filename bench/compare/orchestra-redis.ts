/**
 * Orchestra on Redis: the real Scheduler on a SQLite store with the Redis broker (`openBroker` with
 * `redis://…?prefix=…`, as `new Orchestra({ broker: "redis://…" })` does): each occurrence is
 * committed with an outbox row, then published as a BullMQ job (delayed until its due instant when
 * sent ahead). Dispatched = `job.processedOn` of a plain BullMQ Worker (concurrency 50, no-op) on the
 * `default` queue, the same instant as for BullMQ's own schedulers: when a consumer took it.
 * Due = the instant in the job id (`job-i@<due>`).
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker, type Job } from "bullmq";
import { bullmqQueueName } from "../../src/broker/bullmq/connection.ts";
import { openBroker } from "../../src/broker/open.ts";
import { parseLocation } from "../../src/config/locations.ts";
import type { SchedulerEvent } from "../../src/scheduler/events.ts";
import { DEFAULT_LOOKAHEAD_MS, Scheduler } from "../../src/scheduler/scheduler.ts";
import { openSqliteStore } from "../../src/store/sqlite/open.ts";
import { runChild } from "../fixtures/support.ts";
import type { DefineResult } from "./orchestra-define.ts";
import { mixJobs, type Observation } from "./mix.ts";
import { herdInstant, observeWindow, type LatenessArgs, type LatenessResult } from "./protocol.ts";
import { connect, deleteByPrefix, REDIS_URL } from "./redis.ts";


const DEFINE = fileURLToPath(new URL("./orchestra-define.ts", import.meta.url));

export async function orchestraRedisLateness(args: LatenessArgs): Promise<LatenessResult> {
  const herdAtMs = args.mix === "herd" ? herdInstant(args.leadMs) : 0;
  const jobs = mixJobs(args.mix, args.jobs, herdAtMs);
  const path = join(args.dir, "orchestra.db");
  const prefix = `obench-orchestra-${process.pid}-${Date.now()}`;
  const location = parseLocation(`${REDIS_URL}/0?prefix=${prefix}`, args.dir, "broker");
  const notes: string[] = [];
  const redis = connect();

  // The jobs are stored by another process: the scheduler starts on stored jobs, with its own memory.
  const defined = await runChild(["--import", "tsx"], DEFINE, [path, args.mix, String(args.jobs), String(herdAtMs), `${REDIS_URL}/0?prefix=${prefix}`], 120_000);
  const { setupMs, storeBytesPerJob } = defined.result as DefineResult;

  const observations: Observation[] = [];
  let firstAt = NaN;
  const consumer = new Worker(
    bullmqQueueName("default"),
    (job: Job) => {
      if (Number.isNaN(firstAt)) firstAt = performance.now();
      const [name = "", due = ""] = (job.id ?? "").split("@");
      observations.push({ job: Number(name.slice(4)), dueMs: Number(due), atMs: job.processedOn ?? Date.now() });
      return Promise.resolve();
    },
    { connection: connect(), prefix, concurrency: 50 },
  );
  consumer.on("error", (error) => {
    if (notes.length < 5) notes.push(`worker error: ${error.message}`);
  });
  const onEvent = (event: SchedulerEvent): void => {
    if (event.type === "error" && notes.length < 5) notes.push(`scheduler error: ${String(event.error)}`);
  };
  const started = performance.now();
  const store = await openSqliteStore(path);
  const broker = await openBroker(location, store, { onError: (error) => notes.length < 5 && notes.push(`publisher: ${String(error)}`) });
  const scheduler = new Scheduler({ store, queue: broker.queue, onEvent, lookaheadMs: DEFAULT_LOOKAHEAD_MS });
  await scheduler.load();
  scheduler.start();
  try {
    if (args.mix === "herd" && Date.now() > herdAtMs) notes.push(`set-up overran the herd's instant by ${Date.now() - herdAtMs} ms`);
    const window = await observeWindow(args, jobs, observations, herdAtMs);
    const memoryBytes = process.memoryUsage().rss;
    return {
      system: "orchestra-redis",
      mix: args.mix,
      jobs: args.jobs,
      setupMs,
      startToFirstMs: firstAt - started,
      storeBytesPerJob,
      memoryBytes,
      ...window,
      notes,
    };
  } finally {
    await scheduler.stop();
    await consumer.close(true);
    await broker.close();
    await store.close();
    await deleteByPrefix(redis, `${prefix}:`);
    redis.disconnect();
  }
}
