/**
 * How late a BullMQ delayed job starts, by Redis's `hz`: Orchestra sends each occurrence about 100 ms
 * ahead as a delayed job, and a worker wakes for it through a blocking wait whose timeout Redis checks
 * `hz` times a second. Starts a private Redis (port 6395, nothing kept), adds 60 jobs delayed 100 ms,
 * 37 ms apart, to one worker, once with hz 10 (Redis's default) and once with hz 100; prints how long
 * after its instant each started, ms (p50, p90, max).
 *
 *   node --import tsx bench/redis-hz.bench.ts
 */
import { spawnSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { Queue, Worker } from "bullmq";

const PORT = 6395;
const JOBS = 60;
const connection = { host: "127.0.0.1", port: PORT, maxRetriesPerRequest: null };

async function lateness(): Promise<number[]> {
  const name = `hz-${process.pid}-${Date.now()}`;
  const queue = new Queue(name, { connection });
  const late: number[] = [];
  const worker = new Worker(name, (job) => Promise.resolve(late.push(Date.now() - (job.data as { at: number }).at)), { connection, concurrency: 4 });
  await worker.waitUntilReady();
  for (let i = 0; i < JOBS; i++) {
    await queue.add("j", { at: Date.now() + 100 }, { delay: 100, removeOnComplete: true });
    await sleep(37);
  }
  await sleep(500);
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return late.sort((a, b) => a - b);
}

function redis(...args: string[]): void {
  const result = spawnSync(args[0] ?? "", args.slice(1), { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${args.join(" ")}: ${result.stderr || result.stdout}`);
}

redis("redis-server", "--port", String(PORT), "--save", "", "--appendonly", "no", "--daemonize", "yes", "--logfile", "/dev/null");
try {
  await sleep(300);
  for (const hz of [10, 100]) {
    redis("redis-cli", "-p", String(PORT), "config", "set", "hz", String(hz));
    const late = await lateness();
    const at = (p: number): number => late[Math.min(late.length - 1, Math.floor(p * late.length))] ?? NaN;
    console.log(`hz ${String(hz).padStart(3)}: ${late.length} jobs started p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${late.at(-1) ?? NaN} ms after their instant`);
  }
} finally {
  spawnSync("redis-cli", ["-p", String(PORT), "shutdown", "nosave"]);
}
process.exit(0);
