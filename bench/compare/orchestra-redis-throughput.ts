/**
 * Orchestra on Redis, tasks per second: the same shape as bench/e2e.bench.ts and the raw BullMQ case.
 * A SQLite store gets 100 jobs and N occurrences through `writeDispatch` with the Redis broker's queue
 * (occurrence, pending run and outbox row in one transaction); the publisher sends the outbox to
 * BullMQ and, once every job is in Redis, W `orchestra worker --broker redis://… --backend <file>`
 * processes (the built CLI, concurrency 16) start together. Steady tasks/s = successes / (last
 * `finished_at` − first `started_at`) from the runs table, as in e2e.
 *
 * The workers log at `info` (a line per run, as by default) or at the level given.
 *
 *   node --import tsx bench/compare/orchestra-redis-throughput.ts <tasks> <workers> <deadlineMs> [logLevel]
 */
import Database from "better-sqlite3";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { bullmqQueueName, connectionOf } from "../../src/broker/bullmq/connection.ts";
import { openBroker } from "../../src/broker/open.ts";
import { parseLocation } from "../../src/config/locations.ts";
import { openSqliteStore } from "../../src/store/sqlite/open.ts";
import { emitResult, terminate } from "../fixtures/support.ts";
import { enqueueTrivialBacklog, TRIVIAL_MODULE } from "../fixtures/trivial-backlog.ts";
import { CpuWindow } from "./cpu.ts";
import { connect, deleteByPrefix, REDIS_URL } from "./redis.ts";
import type { ThroughputResult } from "./throughput.ts";

const BIN = fileURLToPath(new URL("../../bin/orchestra.js", import.meta.url));
const CONCURRENCY = 16;

async function measure(tasks: number, workers: number, deadlineMs: number, logLevel: string): Promise<ThroughputResult> {
  const dir = mkdtempSync(join(tmpdir(), "orchestra-bench-redis-"));
  const path = join(dir, "orchestra.db");
  const prefix = `obench-throughput-${process.pid}-${Date.now()}`;
  const url = `${REDIS_URL}/0?prefix=${prefix}`;
  const location = parseLocation(url, dir, "broker");
  if (location.kind !== "redis") throw new Error(`${url} is not a Redis location`);
  const redis = connect();
  const store = await openSqliteStore(path);
  const children: ChildProcess[] = [];
  try {
    const broker = await openBroker(location, store);
    await enqueueTrivialBacklog(store, broker.queue, tasks);
    broker.queue.committed?.();
    // Every job in Redis before the workers start, as with raw BullMQ's addBulk.
    const queue = new Queue(bullmqQueueName("default"), { connection: connectionOf(location), prefix });
    const publishDeadline = Date.now() + deadlineMs;
    while ((await queue.getJobCountByTypes("wait", "prioritized", "delayed", "paused")) < tasks && Date.now() < publishDeadline) await sleep(100);
    await queue.close();
    store.native.pragma("wal_checkpoint(TRUNCATE)");

    for (let k = 0; k < workers; k++) {
      children.push(
        spawn(
          process.execPath,
          [BIN, "worker", "--module", TRIVIAL_MODULE, "--broker", url, "--backend", `sqlite:///${path}`, "--concurrency", String(CONCURRENCY), "--log-format", "json", "--log-level", logLevel],
          { cwd: dir, stdio: ["ignore", "ignore", "inherit"] },
        ),
      );
    }
    const reader = new Database(path, { readonly: true });
    const done = reader.prepare("select count(*) from runs where status = 'success'").pluck();
    const deadline = Date.now() + deadlineMs;
    let timedOut = true;
    const cpu = new CpuWindow(children.map((c) => c.pid), redis, tasks);
    while (Date.now() < deadline) {
      const count = done.get() as number;
      await cpu.observe(count);
      if (count >= tasks) {
        timedOut = false;
        break;
      }
      await sleep(100);
    }
    await Promise.all(children.map((child) => terminate(child, 10_000)));
    const span = reader.prepare("select count(*) as n, min(started_at) as first, max(finished_at) as last from runs where status = 'success'").get() as {
      n: number;
      first: number | null;
      last: number | null;
    };
    reader.close();
    await broker.close();
    return {
      system: "orchestra-redis",
      workers,
      concurrency: CONCURRENCY,
      tasks,
      completed: span.n,
      steadyPerSecond: span.first === null || span.last === null ? 0 : (span.n / Math.max(1, span.last - span.first)) * 1000,
      timedOut,
      cpu: cpu.perTask(),
    };
  } finally {
    await Promise.all(children.map((child) => terminate(child, 2_000)));
    await store.close();
    await deleteByPrefix(redis, `${prefix}:`);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

const [tasks = "", workers = "", deadline = "", logLevel = "info"] = process.argv.slice(2);
emitResult(await measure(Number(tasks), Number(workers), Number(deadline), logLevel));
process.exit(0);
