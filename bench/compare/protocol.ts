/**
 * What the runner asks of a system's child process and what it hands back. One child per
 * (system, case); the runner kills it at its deadline.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { check, type BenchJob, type Check, type MixName, type Observation } from "./mix.ts";

export type SystemName = "orchestra" | "orchestra-redis" | "bullmq" | "celery";

export interface LatenessArgs {
  readonly mix: MixName;
  readonly jobs: number;
  /** staggered: not counted after the scheduler is up. */
  readonly warmupMs: number;
  /** staggered: the counted window. */
  readonly windowMs: number;
  /** herd: how long after the herd's instant to wait for the last dispatch. */
  readonly drainLimitMs: number;
  /** herd: how long the system is given to set up before the herd's instant. */
  readonly leadMs: number;
  /** A fresh folder for the system's files. */
  readonly dir: string;
}

export interface LatenessResult {
  readonly system: SystemName;
  readonly mix: MixName;
  readonly jobs: number;
  /** Storing the jobs (define / upsert / writing the schedule), ms. */
  readonly setupMs: number;
  /** From starting the scheduler process or loop to the first dispatch seen, ms. */
  readonly startToFirstMs: number;
  /** Bytes of the store per job (SQLite file, Redis used_memory growth, beat's shelve). */
  readonly storeBytesPerJob: number;
  /** Resident memory of the scheduling process during the window, bytes (BullMQ: Redis used_memory growth). */
  readonly memoryBytes: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly check: Check;
  readonly notes: readonly string[];
}

/** The first instant of the herd: a whole second at least `leadMs` ahead. */
export function herdInstant(leadMs: number): number {
  return Math.ceil((Date.now() + leadMs) / 1000) * 1000;
}

/**
 * Waits for the counted window while the system dispatches into `observations`, then checks it.
 * staggered: [first whole second after ready + warm-up, + window), waiting 2 s past its end for
 * stragglers; herd: the herd's second, waiting until every job was seen or the drain limit passed.
 */
export async function observeWindow(
  args: LatenessArgs,
  jobs: readonly BenchJob[],
  observations: readonly Observation[],
  herdAtMs: number,
): Promise<{ fromMs: number; toMs: number; check: Check }> {
  if (args.mix === "herd") {
    const fromMs = herdAtMs;
    const toMs = herdAtMs + 1000;
    while (Date.now() < herdAtMs + args.drainLimitMs) {
      let seen = 0;
      for (const o of observations) if (o.dueMs === herdAtMs) seen++;
      if (seen >= args.jobs) break;
      await sleep(50);
    }
    return { fromMs, toMs, check: check(jobs, observations, fromMs, toMs) };
  }
  const fromMs = Math.ceil((Date.now() + args.warmupMs) / 1000) * 1000;
  const toMs = fromMs + args.windowMs;
  await sleep(toMs + 2000 - Date.now());
  return { fromMs, toMs, check: check(jobs, observations, fromMs, toMs) };
}

/** VmRSS of a process from /proc, bytes (NaN when unreadable). */
export async function rssOf(pid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb === undefined ? NaN : Number(kb) * 1024;
  } catch {
    return NaN;
  }
}
