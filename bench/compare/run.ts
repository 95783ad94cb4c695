/**
 * `npm run bench`: Orchestra beside its peers on this machine — dispatch lateness and the
 * exactly-once check (staggered and herd mixes, 1k / 10k / 100k jobs), memory, start-up and store
 * bytes per job, and tasks per second through each broker. Every system runs in a child process
 * killed at its deadline; a peer that cannot run is reported as such. Writes bench/results/
 * (compare.json, summary.md, lateness.svg); `--quick` writes bench/results/quick/.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseOptions, runChild, tempDir } from "../fixtures/support.ts";
import type { MixName } from "./mix.ts";
import type { LatenessArgs, LatenessResult, SystemName } from "./protocol.ts";
import { summaryMarkdown, type CompareResults, type LatenessCell, type ThroughputCell } from "./report.ts";
import { latenessSvg } from "./svg.ts";
import { systems } from "./systems.ts";
import type { ThroughputResult } from "./throughput.ts";

const USAGE = "usage: npm run bench [-- --quick] [-- --keep]";
const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));
const E2E = fileURLToPath(new URL("../e2e.bench.ts", import.meta.url));
const RESULTS = fileURLToPath(new URL("../results/", import.meta.url));

/** Rough set-up cost per job (ms), which sizes the herd's lead and each child's deadline. */
const SETUP_MS_PER_JOB: Readonly<Record<SystemName, number>> = { orchestra: 0.08, "orchestra-redis": 0.1, bullmq: 0.25, celery: 0.4 };

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

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), USAGE);
  const quick = options.quick;
  const started = performance.now();
  const sizes = quick ? [1_000] : [1_000, 10_000, 100_000];
  const warmupMs = quick ? 1_000 : 2_000;
  const windowMs = quick ? 3_000 : 8_000;
  const drainLimitMs = quick ? 8_000 : 25_000;
  const tasks = quick ? 5_000 : 20_000;
  const all = await systems();
  const dir = tempDir("orchestra-bench-compare-");
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  log(`systems: ${all.map((s) => `${s.label} ${s.unavailable ?? s.version}`).join("; ")}`);

  const lateness: LatenessCell[] = [];
  for (const mix of ["staggered", "herd"] as const satisfies readonly MixName[]) {
    for (const jobs of sizes) {
      for (const system of all) {
        if (system.unavailable !== null) {
          lateness.push({ system: system.name, mix, jobs, result: null, failure: system.unavailable });
          continue;
        }
        const setupMs = 2_000 + jobs * SETUP_MS_PER_JOB[system.name];
        const runDir = join(dir.path, `${system.name}-${mix}-${jobs}`);
        mkdirSync(runDir);
        const args: LatenessArgs = { mix, jobs, warmupMs, windowMs, drainLimitMs, leadMs: setupMs, dir: runDir };
        const deadlineMs = 2 * setupMs + (mix === "herd" ? drainLimitMs : warmupMs + windowMs + 3_000) + 20_000;
        const at = performance.now();
        try {
          const run = await runChild(["--import", "tsx"], CHILD, ["lateness", system.name, JSON.stringify(args)], deadlineMs);
          const result = run.result as LatenessResult | null;
          lateness.push({ system: system.name, mix, jobs, result, failure: run.timedOut || result === null ? `failed: killed at its ${Math.round(deadlineMs / 1000)} s deadline` : null });
        } catch (error) {
          lateness.push({ system: system.name, mix, jobs, result: null, failure: `failed: ${message(error)}` });
        }
        const cell = lateness.at(-1);
        log(`  ${mix} ${jobs} ${system.name}: ${((performance.now() - at) / 1000).toFixed(1)} s${cell?.failure == null ? "" : ` — ${cell.failure}`}`);
      }
    }
  }

  const throughput: ThroughputCell[] = [];
  log("  throughput: Orchestra embedded (bench/e2e.bench.ts)…");
  throughput.push(...(await orchestraThroughput(quick, quick ? 60_000 : 150_000)));
  const bullmq = all.find((s) => s.name === "bullmq");
  throughput.push({
    system: "orchestra-redis",
    workers: 1,
    result: null,
    failure: "not measured yet (needs a filler for the Redis outbox; see bench/README.md)",
  });
  for (const workers of [1, 4]) {
    if (bullmq?.unavailable != null) {
      throughput.push({ system: "bullmq", workers, result: null, failure: bullmq.unavailable });
      continue;
    }
    log(`  throughput: raw BullMQ, ${workers} worker(s)…`);
    const deadlineMs = quick ? 30_000 : 60_000;
    try {
      const run = await runChild(["--import", "tsx"], CHILD, ["bullmq-throughput", String(tasks), String(workers), String(deadlineMs)], deadlineMs + 30_000);
      throughput.push({ system: "bullmq", workers, result: run.result as ThroughputResult | null, failure: run.timedOut ? "failed: killed at its deadline" : null });
    } catch (error) {
      throughput.push({ system: "bullmq", workers, result: null, failure: `failed: ${message(error)}` });
    }
  }

  const results: CompareResults = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: (await import("node:os")).cpus().length,
    quick,
    method: { sizes, warmupMs, windowMs, drainLimitMs, tasks },
    systems: all,
    lateness,
    throughput,
    seconds: Math.round((performance.now() - started) / 1000),
  };
  const out = quick ? join(RESULTS, "quick") : RESULTS;
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "compare.json"), `${JSON.stringify(results, null, 2)}\n`);
  const summary = summaryMarkdown(results);
  writeFileSync(join(out, "summary.md"), summary);
  writeFileSync(join(out, "lateness.svg"), latenessSvg(results));
  process.stdout.write(`${summary}\nwritten to ${out} in ${results.seconds} s\n`);
  dir.cleanup(options.keep);
}

await main();
