/**
 * Raw BullMQ throughput, the same shape as bench/e2e.bench.ts: `Queue.addBulk` of N trivial jobs,
 * then W worker processes (concurrency 16, a processor that returns a number) start together;
 * steady tasks/s = completed / (last completion − first start), from the workers' own clocks.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { Queue, Worker, type JobsOptions } from "bullmq";
import { jobIdOf } from "../../src/broker/bullmq/job-id.ts";
import { jobOptionsOf } from "../../src/broker/bullmq/job-options.ts";
import type { TaskMessage } from "../../src/broker/message.ts";
import { TRIVIAL_JOBS, TRIVIAL_MODULE } from "../fixtures/trivial-backlog.ts";
import { emitResult, RESULT_PREFIX, terminate } from "../fixtures/support.ts";
import { CpuWindow, type CpuPerTask } from "./cpu.ts";
import { connect, deleteByPrefix } from "./redis.ts";

const PREFIX = "obench";
const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));

export interface ThroughputResult {
  readonly system: string;
  /** Raw BullMQ's jobs: `plain` when absent. */
  readonly shape?: RawJobShape;
  readonly workers: number;
  readonly concurrency: number;
  readonly tasks: number;
  readonly completed: number;
  readonly steadyPerSecond: number;
  readonly timedOut: boolean;
  /** Worker processes' and Redis's CPU per task over the run (see cpu.ts); absent in results from before it was measured. */
  readonly cpu?: CpuPerTask;
}

interface WorkerReport {
  readonly completed: number;
  readonly firstMs: number;
  readonly lastMs: number;
}

/** A worker process: takes jobs until SIGTERM, then reports what it did. */
export async function bullmqWorker(queueName: string, concurrency: number): Promise<void> {
  let completed = 0;
  let firstMs = NaN;
  let lastMs = NaN;
  const worker = new Worker(
    queueName,
    () => {
      if (Number.isNaN(firstMs)) firstMs = Date.now();
      return Promise.resolve(42);
    },
    { connection: connect(), prefix: PREFIX, concurrency },
  );
  worker.on("completed", () => {
    completed++;
    lastMs = Date.now();
  });
  await new Promise<void>((resolve) => process.once("SIGTERM", resolve));
  await worker.close(true);
  emitResult({ completed, firstMs, lastMs } satisfies WorkerReport);
  process.exit(0);
}

/**
 * How the raw jobs are added: `plain` as a BullMQ user would for the fastest run (removed once
 * completed); `orchestra` with what Orchestra's publisher gives each job (its job options: kept an hour
 * when finished, its attempts and backoff; a task message as data, a job id per occurrence), so that
 * what the job's shape costs in BullMQ and Redis is told apart from what Orchestra's worker costs.
 */
export type RawJobShape = "plain" | "orchestra";

function rawJob(shape: RawJobShape, index: number, now: number): { name: string; data: unknown; opts: JobsOptions } {
  if (shape === "plain") return { name: "trivial", data: { i: index }, opts: { removeOnComplete: true } };
  const message: TaskMessage = {
    occurrenceId: index + 1,
    runId: index + 1,
    jobName: `trivial-${index % TRIVIAL_JOBS}`,
    module: TRIVIAL_MODULE,
    task: "trivial",
    args: [index % TRIVIAL_JOBS],
    kwargs: null,
    retries: null,
    timeout: null,
    expiresAt: null,
  };
  const jobId = jobIdOf({ message, dueAt: now + index, origin: "schedule" });
  return { name: message.jobName, data: message, opts: jobOptionsOf({ jobId, rank: null, availableAt: now, message }, now) };
}

export async function bullmqThroughput(tasks: number, workers: number, deadlineMs: number, shape: RawJobShape = "plain"): Promise<ThroughputResult> {
  const name = `throughput-${process.pid}-${Date.now()}`;
  const redis = connect();
  const queue = new Queue(name, { connection: connect(), prefix: PREFIX });
  const concurrency = 16;
  const now = Date.now();
  try {
    for (let from = 0; from < tasks; from += 1000) {
      const size = Math.min(1000, tasks - from);
      await queue.addBulk(Array.from({ length: size }, (_, k) => rawJob(shape, from + k, now)));
    }
    const reports: WorkerReport[] = [];
    const children: ChildProcess[] = Array.from({ length: workers }, () => {
      const child = spawn(process.execPath, ["--import", "tsx", CHILD, "bullmq-worker", name, String(concurrency)], { stdio: ["ignore", "pipe", "inherit"] });
      let buffer = "";
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (chunk: string) => {
        buffer += chunk;
        for (const line of buffer.split("\n")) if (line.startsWith(RESULT_PREFIX)) reports.push(JSON.parse(line.slice(RESULT_PREFIX.length)) as WorkerReport);
        buffer = buffer.slice(buffer.lastIndexOf("\n") + 1);
      });
      return child;
    });
    const deadline = Date.now() + deadlineMs;
    let timedOut = true;
    const cpu = new CpuWindow(children.map((c) => c.pid), redis, tasks);
    while (Date.now() < deadline) {
      const counts = await queue.getJobCounts("wait", "active", "delayed", "prioritized");
      const left = Object.values(counts).reduce((a, b) => a + b, 0);
      await cpu.observe(tasks - left); // taken counts as done: the first jobs taken say the workers are loaded
      if (left === 0) {
        timedOut = false;
        break;
      }
      await sleep(100);
    }
    await Promise.all(children.map((child) => terminate(child, 5000)));
    await sleep(100);
    const completed = reports.reduce((sum, r) => sum + r.completed, 0);
    const firstMs = Math.min(...reports.map((r) => r.firstMs));
    const lastMs = Math.max(...reports.map((r) => r.lastMs));
    return { system: "bullmq", ...(shape === "plain" ? {} : { shape }), workers, concurrency, tasks, completed, steadyPerSecond: (completed / Math.max(1, lastMs - firstMs)) * 1000, timedOut, cpu: cpu.perTask() };
  } finally {
    await queue.close();
    await deleteByPrefix(redis, `${PREFIX}:${name}:`);
    redis.disconnect();
  }
}
