/**
 * `npm run bench`: Orchestra beside its peers on this machine — dispatch lateness and the
 * exactly-once check (staggered and herd mixes, 1k / 10k / 100k jobs), memory, start-up and store
 * bytes per job, and tasks per second through each broker. Every system runs in a child process
 * killed at its deadline; a peer that cannot run is reported as such. Writes bench/results/
 * (compare.json, summary.md, lateness.svg); `--quick` writes bench/results/quick/.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseOptions, runChild, tempDir } from "../fixtures/support.ts";
import type { MixName } from "./mix.ts";
import type { LatenessArgs, LatenessResult, SystemName } from "./protocol.ts";
import type { System } from "./systems.ts";
import { summaryMarkdown, type CompareResults, type LatenessCell, type ThroughputCell } from "./report.ts";
import { latenessSvg } from "./svg.ts";
import { systems } from "./systems.ts";
import type { RawJobShape, ThroughputResult } from "./throughput.ts";

const USAGE = "usage: npm run bench [-- --quick] [-- --keep] [-- --throughput-only]";
const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));
const REDIS_THROUGHPUT = fileURLToPath(new URL("./orchestra-redis-throughput.ts", import.meta.url));
const E2E = fileURLToPath(new URL("../e2e.bench.ts", import.meta.url));
const RESULTS = fileURLToPath(new URL("../results/", import.meta.url));

/** Rough set-up cost per job (ms), which sizes the herd's lead and each child's deadline. */
const SETUP_MS_PER_JOB: Readonly<Record<SystemName, number>> = { orchestra: 0.1, "orchestra-redis": 0.12, bullmq: 0.25, celery: 0.4 };

function message(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0] ?? "" : String(error);
}

/** Runs bench/e2e.bench.ts --json (Orchestra embedded, workers as processes) and keeps its steady rates. */
function orchestraThroughput(quick: boolean, deadlineMs: number): Promise<ThroughputCell[]> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", E2E, "--json", ...(quick ? ["--quick"] : [])], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => (out += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), deadlineMs);
    child.on("close", () => {
      clearTimeout(timer);
      try {
        const parsed = JSON.parse(out) as { cases: { workers: number; concurrency: number; tasks: number; succeeded: number; steadyPerSecond: number; timedOut: boolean }[] };
        resolve(
          parsed.cases.map((c) => ({
            system: "orchestra",
            workers: c.workers,
            result: { system: "orchestra", workers: c.workers, concurrency: c.concurrency, tasks: c.tasks, completed: c.succeeded, steadyPerSecond: c.steadyPerSecond, timedOut: c.timedOut },
            failure: null,
          })),
        );
      } catch (error) {
        resolve([{ system: "orchestra", workers: 1, result: null, failure: `failed: ${message(error)}` }]);
      }
    });
  });
}

interface Settings {
  readonly quick: boolean;
  readonly sizes: readonly number[];
  readonly warmupMs: number;
  readonly windowMs: number;
  readonly drainLimitMs: number;
  readonly tasks: number;
  readonly dir: string;
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function latenessRun(settings: Settings, system: System, mix: MixName, jobs: number): Promise<LatenessCell> {
  if (system.unavailable !== null) return { system: system.name, mix, jobs, result: null, failure: system.unavailable };
  const { warmupMs, windowMs, drainLimitMs } = settings;
  const setupMs = 2_000 + jobs * SETUP_MS_PER_JOB[system.name];
  const runDir = join(settings.dir, `${system.name}-${mix}-${jobs}`);
  mkdirSync(runDir);
  const args: LatenessArgs = { mix, jobs, warmupMs, windowMs, drainLimitMs, leadMs: setupMs, dir: runDir };
  const deadlineMs = 2 * setupMs + (mix === "herd" ? drainLimitMs : warmupMs + windowMs + 3_000) + 20_000;
  const at = performance.now();
  let cell: LatenessCell;
  try {
    const run = await runChild(["--import", "tsx"], CHILD, ["lateness", system.name, JSON.stringify(args)], deadlineMs);
    const result = run.result as LatenessResult | null;
    cell = { system: system.name, mix, jobs, result, failure: run.timedOut || result === null ? `failed: killed at its ${Math.round(deadlineMs / 1000)} s deadline` : null };
  } catch (error) {
    cell = { system: system.name, mix, jobs, result: null, failure: `failed: ${message(error)}` };
  }
  log(`  ${mix} ${jobs} ${system.name}: ${((performance.now() - at) / 1000).toFixed(1)} s${cell.failure === null ? "" : ` — ${cell.failure}`}`);
  return cell;
}

/** One throughput child (raw BullMQ or Orchestra on Redis) for `workers` worker processes. */
async function throughputRun(settings: Settings, system: System, workers: number, variant: ThroughputVariant = {}): Promise<ThroughputCell> {
  const shape = variant.shape ?? "plain";
  const cell = { system: system.name, workers, ...(shape === "plain" ? {} : { shape }), ...(variant.logLevel === undefined ? {} : { logLevel: variant.logLevel }) };
  if (system.unavailable !== null) return { ...cell, result: null, failure: system.unavailable };
  log(`  throughput: ${system.label}${shape === "plain" ? "" : `, ${shape}-shaped jobs`}${variant.logLevel === undefined ? "" : `, --log-level ${variant.logLevel}`}, ${workers} worker(s)…`);
  const deadlineMs = settings.quick ? 30_000 : 60_000;
  const [script, args] =
    system.name === "bullmq"
      ? [CHILD, ["bullmq-throughput", String(settings.tasks), String(workers), String(deadlineMs), shape]]
      : [REDIS_THROUGHPUT, [String(settings.tasks), String(workers), String(deadlineMs), variant.logLevel ?? "info"]];
  try {
    const run = await runChild(["--import", "tsx"], script, args, 2 * deadlineMs + 30_000);
    return { ...cell, result: run.result as ThroughputResult | null, failure: run.timedOut ? "failed: killed at its deadline" : null };
  } catch (error) {
    return { ...cell, result: null, failure: `failed: ${message(error)}` };
  }
}

/** Rounds of the Redis systems' throughput runs (see ThroughputCell.rounds). */
const THROUGHPUT_ROUNDS = 3;

interface ThroughputVariant {
  readonly shape?: RawJobShape;
  readonly logLevel?: "warn";
}

/**
 * Orchestra on Redis and raw BullMQ, each variant once per round and worker count, in an order that
 * turns with each round (none always runs first, on a machine still busy with the one before). Besides
 * the two systems: Orchestra's workers without a line per run (what the log costs; users after
 * throughput turn it off), and raw BullMQ with Orchestra's job shape (what the shape alone costs).
 */
async function redisThroughputRounds(settings: Settings, all: readonly System[], rounds: number): Promise<ThroughputCell[]> {
  const runs: { readonly system: System; readonly variant: ThroughputVariant }[] = [];
  for (const [name, variants] of [
    ["orchestra-redis", [{}, { logLevel: "warn" }]],
    ["bullmq", [{}, { shape: "orchestra" }]],
  ] as const) {
    const system = all.find((s) => s.name === name);
    if (system !== undefined) for (const variant of variants) runs.push({ system, variant });
  }
  const cells: ThroughputCell[][] = runs.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const workers of [1, 4]) {
      for (let k = 0; k < runs.length; k++) {
        const index = (k + round) % runs.length;
        const run = runs[index];
        if (run !== undefined) cells[index]?.push(await throughputRun(settings, run.system, workers, run.variant));
      }
    }
  }
  return runs.flatMap((_, index) => [1, 4].map((workers) => medianCell((cells[index] ?? []).filter((cell) => cell.workers === workers))));
}

/** One cell for a variant's rounds: the median round's result, every round's kept. */
function medianCell(rounds: readonly ThroughputCell[]): ThroughputCell {
  const first = rounds[0];
  if (first === undefined) throw new Error("a throughput variant without rounds");
  const ran = rounds.flatMap((cell) => (cell.result === null ? [] : [cell.result])).sort((a, b) => a.steadyPerSecond - b.steadyPerSecond);
  const failures = rounds.flatMap((cell) => (cell.failure === null ? [] : [cell.failure]));
  return {
    ...first,
    result: ran[Math.floor((ran.length - 1) / 2)] ?? null,
    rounds: rounds.map((cell) => cell.result),
    failure: failures.length === 0 ? null : `${failures.length} of ${rounds.length} rounds: ${failures[0] ?? ""}`,
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), USAGE, ["--throughput-only"]);
  const quick = options.quick;
  const started = performance.now();
  const dir = tempDir("orchestra-bench-compare-");
  const settings: Settings = {
    quick,
    sizes: quick ? [1_000] : [1_000, 10_000, 100_000],
    warmupMs: quick ? 1_000 : 2_000,
    windowMs: quick ? 3_000 : 8_000,
    drainLimitMs: quick ? 8_000 : 25_000,
    tasks: quick ? 5_000 : 20_000,
    dir: dir.path,
  };
  const all = await systems();
  log(`systems: ${all.map((s) => `${s.label} ${s.unavailable ?? s.version}`).join("; ")}`);
  const out = quick ? join(RESULTS, "quick") : RESULTS;
  const previous = join(out, "compare.json");
  // --throughput-only measures tasks/s again and keeps the lateness results of the last run.
  const kept = options.flags.has("--throughput-only") && existsSync(previous) ? (JSON.parse(readFileSync(previous, "utf8")) as CompareResults) : null;

  const lateness: LatenessCell[] = kept === null ? [] : [...kept.lateness];
  if (kept === null) {
    for (const mix of ["staggered", "herd"] as const) {
      for (const jobs of settings.sizes) {
        for (const system of all) lateness.push(await latenessRun(settings, system, mix, jobs));
      }
    }
  }

  const throughput: ThroughputCell[] = [];
  log("  throughput: Orchestra embedded (bench/e2e.bench.ts)…");
  throughput.push(...(await orchestraThroughput(quick, quick ? 60_000 : 150_000)));
  throughput.push(...(await redisThroughputRounds(settings, all, quick ? 1 : THROUGHPUT_ROUNDS)));

  const results: CompareResults = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: (await import("node:os")).cpus().length,
    quick,
    method: { sizes: settings.sizes, warmupMs: settings.warmupMs, windowMs: settings.windowMs, drainLimitMs: settings.drainLimitMs, tasks: settings.tasks },
    // A peer only the kept lateness runs used (Celery) is described as it was then.
    systems: kept === null ? all : all.map((system) => (system.unavailable === null ? system : (kept.systems.find((k) => k.name === system.name) ?? system))),
    lateness,
    throughput,
    seconds: Math.round((performance.now() - started) / 1000), // this run's own: a --throughput-only run says so in the summary
    ...(kept === null ? {} : { throughputRerunAt: new Date().toISOString(), latenessDate: kept.latenessDate ?? kept.date }),
  };
  mkdirSync(out, { recursive: true });
  writeFileSync(previous, `${JSON.stringify(results, null, 2)}\n`);
  const summary = summaryMarkdown(results);
  writeFileSync(join(out, "summary.md"), summary);
  writeFileSync(join(out, "lateness.svg"), latenessSvg(results));
  process.stdout.write(`${summary}\nwritten to ${out} in ${results.seconds} s\n`);
  dir.cleanup(options.keep);
}

await main();
