/**
 * Stores a mix's jobs in an Orchestra SQLite file, in a process of its own, so that the measured
 * scheduler process starts on stored jobs and its memory is the scheduler's, not the define's:
 *
 *   node --import tsx bench/compare/orchestra-define.ts <file> <mix> <jobs> <herdAtMs> [redis-url]
 *
 * With a Redis URL, the broker's outbox table is created too (Orchestra on Redis).
 */
import { statSync } from "node:fs";
import { dirname } from "node:path";
import { openBroker } from "../../src/broker/open.ts";
import { migrateSqliteQueue, SqliteTaskQueue } from "../../src/broker/sqlite/sqlite-task-queue.ts";
import { parseLocation } from "../../src/config/locations.ts";
import type { JobDefinition } from "../../src/jobs/definition.ts";
import { Scheduler } from "../../src/scheduler/scheduler.ts";
import { openSqliteStore } from "../../src/store/sqlite/open.ts";
import { emitResult } from "../fixtures/support.ts";
import { mixJobs, type MixName } from "./mix.ts";

export interface DefineResult {
  readonly setupMs: number;
  readonly storeBytesPerJob: number;
}

const [path = "", mix = "staggered", size = "0", herdAt = "0", redisUrl] = process.argv.slice(2);
const jobs = mixJobs(mix as MixName, Number(size), Number(herdAt));
const definitions: JobDefinition[] = jobs.map((job, i) => ({
  name: `job-${i}`,
  module: "/srv/app/tasks/bench.mjs",
  task: "tick",
  timing: job.pattern,
  timezone: "UTC",
  tags: ["bench"],
  options: {},
  missed: "once",
  maxCatchup: 100,
}));
const started = performance.now();
const store = await openSqliteStore(path);
const broker = redisUrl === undefined ? null : await openBroker(parseLocation(redisUrl, dirname(path), "broker"), store, { dispatch: false });
if (broker === null) await migrateSqliteQueue(store);
const scheduler = new Scheduler({ store, queue: broker?.queue ?? new SqliteTaskQueue() });
await scheduler.load();
await scheduler.define(definitions, "bench");
store.native.pragma("wal_checkpoint(TRUNCATE)");
await broker?.close();
await store.close();
emitResult({ setupMs: performance.now() - started, storeBytesPerJob: statSync(path).size / jobs.length } satisfies DefineResult);
process.exit(0);
