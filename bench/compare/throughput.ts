/**
 * Raw BullMQ throughput, the same shape as bench/e2e.bench.ts: `Queue.addBulk` of N trivial jobs,
 * then W worker processes (concurrency 16, a processor that returns a number) start together;
 * steady tasks/s = completed / (last completion − first start), from the workers' own clocks.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { Queue, Worker } from "bullmq";
import { emitResult, RESULT_PREFIX, terminate } from "../fixtures/support.ts";
import { cpuPerTask, sampleCpu, type CpuPerTask, type CpuSample } from "./cpu.ts";
import { connect, deleteByPrefix } from "./redis.ts";

const PREFIX = "obench";
const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));

export interface ThroughputResult {
  readonly system: string;
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

export async function bullmqThroughput(tasks: number, workers: number, deadlineMs: number): Promise<ThroughputResult> {
  const name = `throughput-${process.pid}-${Date.now()}`;
  const redis = connect();
  const queue = new Queue(name, { connection: connect(), prefix: PREFIX });
  const concurrency = 16;
  try {
    for (let from = 0; from < tasks; from += 1000) {
      const size = Math.min(1000, tasks - from);
      await queue.addBulk(Array.from({ length: size }, (_, k) => ({ name: "trivial", data: { i: from + k }, opts: { removeOnComplete: true } })));
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
    // CPU from the first poll that sees jobs taken (the workers are loaded) to the last job's end.
    let first: { readonly cpu: CpuSample; readonly left: number } | null = null;
    let last: CpuSample | null = null;
    while (Date.now() < deadline) {
      const counts = await queue.getJobCounts("wait", "active", "delayed", "prioritized");
      const left = Object.values(counts).reduce((a, b) => a + b, 0);
      if (first === null && left < tasks) first = { cpu: await sampleCpu(children.map((c) => c.pid), redis), left };
      if (left === 0) {
        last = await sampleCpu(children.map((c) => c.pid), redis);
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
    const cpu = cpuPerTask(first?.cpu ?? null, last, first?.left ?? 0);
    return { system: "bullmq", workers, concurrency, tasks, completed, steadyPerSecond: (completed / Math.max(1, lastMs - firstMs)) * 1000, timedOut, cpu };
  } finally {
    await queue.close();
    await deleteByPrefix(redis, `${PREFIX}:${name}:`);
    redis.disconnect();
  }
}
