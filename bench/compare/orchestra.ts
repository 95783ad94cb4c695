/**
 * Orchestra embedded: the real Scheduler on a SQLite file with the product's defaults
 * (DEFAULT_LOOKAHEAD_MS), no worker. Dispatched = the `dispatched` event, which follows the commit of
 * the occurrence and its queue message (when a worker can first claim it); a message sent ahead is
 * runnable at its due instant, so it counts 0 late.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrateSqliteQueue, SqliteTaskQueue } from "../../src/broker/sqlite/sqlite-task-queue.ts";
import type { SchedulerEvent } from "../../src/scheduler/events.ts";
import { DEFAULT_LOOKAHEAD_MS, Scheduler } from "../../src/scheduler/scheduler.ts";
import { openSqliteStore } from "../../src/store/sqlite/open.ts";
import { runChild } from "../fixtures/support.ts";
import type { DefineResult } from "./orchestra-define.ts";
import { mixJobs, type Observation } from "./mix.ts";
import { herdInstant, observeWindow, type LatenessArgs, type LatenessResult } from "./protocol.ts";


const DEFINE = fileURLToPath(new URL("./orchestra-define.ts", import.meta.url));

export async function orchestraLateness(args: LatenessArgs): Promise<LatenessResult> {
  const herdAtMs = args.mix === "herd" ? herdInstant(args.leadMs) : 0;
  const jobs = mixJobs(args.mix, args.jobs, herdAtMs);
  const path = join(args.dir, "orchestra.db");
  const notes: string[] = [];

  // The jobs are stored by another process: the scheduler starts on stored jobs, with its own memory.
  const defined = await runChild(["--import", "tsx"], DEFINE, [path, args.mix, String(args.jobs), String(herdAtMs)], 120_000);
  const { setupMs, storeBytesPerJob } = defined.result as DefineResult;

  const observations: Observation[] = [];
  let firstAt = NaN;
  const onEvent = (event: SchedulerEvent): void => {
    if (event.type === "dispatched") {
      const atMs = Date.now();
      if (Number.isNaN(firstAt)) firstAt = performance.now();
      observations.push({ job: Number(event.job.slice(4)), dueMs: event.dueAt, atMs });
    } else if (event.type === "error") notes.push(`scheduler error: ${String(event.error)}`);
  };
  // The scheduler starts on the stored jobs, as `orchestra run` would.
  const started = performance.now();
  const store = await openSqliteStore(path);
  await migrateSqliteQueue(store);
  const scheduler = new Scheduler({ store, queue: new SqliteTaskQueue(), onEvent, lookaheadMs: DEFAULT_LOOKAHEAD_MS });
  await scheduler.load();
  scheduler.start();
  if (args.mix === "herd" && Date.now() > herdAtMs) notes.push(`set-up overran the herd's instant by ${Date.now() - herdAtMs} ms`);
  const window = await observeWindow(args, jobs, observations, herdAtMs);
  const memoryBytes = process.memoryUsage().rss;
  await scheduler.stop();
  await store.close();
  return {
    system: "orchestra",
    mix: args.mix,
    jobs: args.jobs,
    setupMs,
    startToFirstMs: firstAt - started,
    storeBytesPerJob,
    memoryBytes,
    ...window,
    notes: notes.slice(0, 5),
  };
}
