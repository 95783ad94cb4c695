/**
 * Where the CPU of a throughput run goes, per task: the worker processes' (from /proc, Linux only) and
 * Redis's own (INFO cpu). On a machine where every core is busy, tasks/s is bounded by the sum: these
 * say which side a difference in tasks/s comes from.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Redis } from "ioredis";

/** CPU used so far, ms: the workers' together, and Redis's; null where it cannot be read. */
interface CpuSample {
  readonly workersMs: number | null;
  readonly redisMs: number | null;
}

/** Per task between two samples, µs. */
export interface CpuPerTask {
  readonly workerUs: number | null;
  readonly redisUs: number | null;
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** A process's user + system CPU time, ms; null off Linux or once it has exited. */
function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // The fields after the command name (which may hold spaces, hence the last ")"): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks();
  } catch {
    return null;
  }
}

async function redisCpuMs(redis: Redis): Promise<number | null> {
  try {
    const info = await redis.info("cpu");
    const user = Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1]);
    const system = Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1]);
    return Number.isFinite(user + system) ? (user + system) * 1000 : null;
  } catch {
    return null;
  }
}

async function sampleCpu(workerPids: readonly (number | undefined)[], redis: Redis): Promise<CpuSample> {
  let workersMs: number | null = 0;
  for (const pid of workerPids) {
    const ms = processCpuMs(pid);
    workersMs = ms === null || workersMs === null ? null : workersMs + ms;
  }
  return { workersMs, redisMs: await redisCpuMs(redis) };
}

/**
 * The CPU of a run's steady part: from the first poll that sees tasks done (the workers are loaded)
 * to the one that sees them all done.
 */
export class CpuWindow {
  readonly #workerPids: readonly (number | undefined)[];
  readonly #redis: Redis;
  readonly #tasks: number;
  #first: { readonly cpu: CpuSample; readonly done: number } | null = null;
  #last: CpuSample | null = null;

  constructor(workerPids: readonly (number | undefined)[], redis: Redis, tasks: number) {
    this.#workerPids = workerPids;
    this.#redis = redis;
    this.#tasks = tasks;
  }

  /** At each poll, with how many tasks are done so far. */
  async observe(done: number): Promise<void> {
    if (this.#first === null && done > 0) this.#first = { cpu: await sampleCpu(this.#workerPids, this.#redis), done };
    if (this.#last === null && done >= this.#tasks) this.#last = await sampleCpu(this.#workerPids, this.#redis);
  }

  perTask(): CpuPerTask {
    const tasks = this.#tasks - (this.#first?.done ?? this.#tasks);
    const per = (a: number | null | undefined, b: number | null | undefined): number | null =>
      a == null || b == null || tasks <= 0 ? null : ((b - a) * 1000) / tasks;
    return { workerUs: per(this.#first?.cpu.workersMs, this.#last?.workersMs), redisUs: per(this.#first?.cpu.redisMs, this.#last?.redisMs) };
  }
}
