/**
 * End-to-end benchmark: tasks per second from a filled queue to recorded successes, with 1 and with 4
 * real worker processes (`orchestra worker`, the built CLI). It prints numbers; it is not a test.
 *
 *   node --import tsx bench/e2e.bench.ts              20,000 tasks per case, ≤ 40 s each
 *   node --import tsx bench/e2e.bench.ts --quick      5,000 tasks per case, ≤ 12 s each
 *   … --json               the results as one JSON object on stdout (no tables)
 *   … --cpu-prof           V8 CPU profiles of the workers (whole process), summarised after the tables
 *   … --keep               keep the SQLite files, worker logs and profiles; their folder is printed
 *   … --no-build           do not rebuild dist/ (by default it is rebuilt when a file in src/ is newer)
 *   … --tasks=N --concurrency=N --deadline=SECONDS   override the case sizes
 *
 * Method. Per case, a fresh SQLite file in a temporary folder gets 100 jobs (`scheduler.define`, never
 * started) and N occurrences of them, enqueued the way the scheduler enqueues: `writeDispatch` in one
 * store write transaction (occurrence, pending run and queue message per task). Then W processes
 * `node bin/orchestra.js worker --module bench/fixtures/trivial.mjs --broker <file> --concurrency C`
 * start together; the benchmark polls the queue's depth every 100 ms until it is empty (a message is
 * deleted in the transaction that records its run's end) or the deadline passes, then stops the
 * workers with SIGTERM. Reported from the runs table:
 *   steady  = successes / (last finished_at − first started_at)   the rate once workers are up
 *   wall    = successes / (queue empty − spawn)                    including process start-up
 * and the workers' CPU time per task (from /proc). The task returns a number: the cost measured is
 * Orchestra's (claim, start, call, record), not the task's. Workers log one line per run to a file.
 */
import Database from "better-sqlite3";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { migrateSqliteQueue, SqliteTaskQueue } from "../src/broker/sqlite/sqlite-task-queue.ts";
import { openSqliteStore } from "../src/store/sqlite/open.ts";
import {
  checkTarget,
  cpuProfArgs,
  formatInt,
  formatMs,
  formatProfile,
  integerOption,
  mainThreadProfile,
  parseOptions,
  summarizeProfile,
  table,
  targetTable,
  tempDir,
  terminate,
  type ProfileSummary,
} from "./fixtures/support.ts";
import { enqueueTrivialBacklog, TRIVIAL_JOBS, TRIVIAL_MODULE } from "./fixtures/trivial-backlog.ts";

const USAGE =
  "usage: node --import tsx bench/e2e.bench.ts [--quick] [--json] [--cpu-prof] [--keep] [--no-build] [--tasks=N] [--concurrency=N] [--deadline=SECONDS]";
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin", "orchestra.js");
const DIST_ENTRY = join(ROOT, "dist", "cli", "main.js");
/** The issue's target, for 1 and for 4 workers. */
const TARGET_PER_SECOND = 10_000;
const POLL_MS = 100;
/** Linux's clock ticks per second for /proc/<pid>/stat (getconf CLK_TCK). */
const CLOCK_TICKS = 100;

// ── build ───────────────────────────────────────────────────────────────────────────────────────

interface BuildStatus {
  readonly action: "skipped" | "up to date" | "built" | "build failed, using the existing dist/";
  readonly ms: number;
}

function newestIn(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The workers run the built CLI: rebuild dist/ (tsc -p tsconfig.build.json) when src/ is newer. */
function ensureBuilt(skip: boolean): BuildStatus {
  if (skip) {
    if (!existsSync(DIST_ENTRY)) fail("dist/ is missing and --no-build was given: run `npm run build` first");
    return { action: "skipped", ms: 0 };
  }
  if (existsSync(DIST_ENTRY) && statSync(DIST_ENTRY).mtimeMs >= newestIn(join(ROOT, "src"))) return { action: "up to date", ms: 0 };
  const started = performance.now();
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const build = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: ROOT, encoding: "utf8" });
  const ms = performance.now() - started;
  if (build.status === 0) return { action: "built", ms };
  const output = `${build.stdout}${build.stderr}`.split("\n").slice(0, 10).join("\n");
  if (!existsSync(DIST_ENTRY)) fail(`npm run build failed and there is no dist/:\n${output}`);
  process.stderr.write(`e2e.bench: the build failed (is src/ being edited?); measuring the existing dist/:\n${output}\n`);
  return { action: "build failed, using the existing dist/", ms };
}

function fail(message: string): never {
  process.stderr.write(`e2e.bench: ${message}\n`);
  process.exit(1);
}

// ── one case ────────────────────────────────────────────────────────────────────────────────────

/** Fills a fresh file: TRIVIAL_JOBS jobs and `tasks` occurrences of them, enqueued in one write transaction. */
async function fill(path: string, tasks: number): Promise<number> {
  const store = await openSqliteStore(path);
  await migrateSqliteQueue(store);
  const ms = await enqueueTrivialBacklog(store, new SqliteTaskQueue(), tasks);
  store.native.pragma("wal_checkpoint(TRUNCATE)");
  await store.close();
  return ms;
}

/** CPU seconds (user + system) a live process has used, from /proc; NaN when unreadable. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

interface CaseResult {
  readonly workers: number;
  readonly concurrency: number;
  readonly tasks: number;
  readonly fillMs: number;
  readonly succeeded: number;
  readonly statuses: Readonly<Record<string, number>>;
  /** From spawning the workers to the first run started. */
  readonly startupMs: number;
  readonly steadyPerSecond: number;
  readonly wallPerSecond: number;
  readonly elapsedMs: number;
  readonly timedOut: boolean;
  /** Workers' user + system CPU per successful task, µs. */
  readonly cpuPerTaskUs: number;
  /** Workers' CPU time / elapsed wall time (2 cores: at most 2). */
  readonly cpuCores: number;
  /** Log lines of the workers that report an error. */
  readonly workerErrors: number;
  readonly profile: ProfileSummary | null;
}

interface CaseOptions {
  readonly dir: string;
  readonly workers: number;
  readonly concurrency: number;
  readonly tasks: number;
  readonly deadlineMs: number;
  readonly profileDir: string | null;
}

async function runCase(options: CaseOptions): Promise<CaseResult> {
  const { dir, workers, concurrency, tasks, deadlineMs, profileDir } = options;
  const name = `w${workers}-c${concurrency}`;
  const path = join(dir, `e2e-${name}.db`);
  const fillMs = await fill(path, tasks);

  const reader = new Database(path, { readonly: true });
  const depth = reader.prepare("select count(*) as n from queue_messages").pluck();
  const children: ChildProcess[] = [];
  const logs: string[] = [];
  const spawnedAt = Date.now();
  for (let k = 0; k < workers; k++) {
    const log = join(dir, `${name}-worker-${k}.log`);
    logs.push(log);
    const fd = openSync(log, "w");
    const profiling = profileDir === null ? [] : cpuProfArgs(join(profileDir, `${name}-worker-${k}`));
    children.push(
      spawn(
        process.execPath,
        [...profiling, BIN, "worker", "--module", TRIVIAL_MODULE, "--broker", path, "--concurrency", String(concurrency)],
        { cwd: dir, stdio: ["ignore", fd, fd] },
      ),
    );
    closeSync(fd);
  }
  let timedOut = false;
  for (;;) {
    await sleep(POLL_MS);
    if ((depth.get() as number) === 0) break;
    if (Date.now() - spawnedAt > deadlineMs) {
      timedOut = true;
      break;
    }
    if (children.every((child) => child.exitCode !== null)) throw new Error(`every worker exited early; see ${logs.join(", ")}`);
  }
  const doneAt = Date.now();
  const cpu = children.reduce((sum, child) => sum + cpuSeconds(child.pid), 0);
  await Promise.all(children.map((child) => terminate(child, 15_000)));

  const statuses = Object.fromEntries(
    (reader.prepare("select status, count(*) as n from runs group by status").all() as { status: string; n: number }[]).map((row) => [row.status, row.n]),
  );
  const span = reader.prepare("select min(started_at) as first, max(finished_at) as last from runs where status = 'success'").get() as {
    first: number | null;
    last: number | null;
  };
  reader.close();
  const succeeded = statuses.success ?? 0;
  const workerErrors = logs.reduce((sum, log) => sum + readFileSync(log, "utf8").split("\n").filter((line) => /\bError\b/.test(line)).length, 0);
  const profileFile = profileDir === null ? null : mainThreadProfile(join(profileDir, `${name}-worker-0`));
  return {
    workers,
    concurrency,
    tasks,
    fillMs,
    succeeded,
    statuses,
    startupMs: span.first === null ? NaN : span.first - spawnedAt,
    steadyPerSecond: span.first === null || span.last === null ? 0 : (succeeded / Math.max(1, span.last - span.first)) * 1000,
    wallPerSecond: (succeeded / (doneAt - spawnedAt)) * 1000,
    elapsedMs: doneAt - spawnedAt,
    timedOut,
    cpuPerTaskUs: (cpu / Math.max(1, succeeded)) * 1e6,
    cpuCores: cpu / ((doneAt - spawnedAt) / 1000),
    workerErrors,
    profile: profileFile === null ? null : summarizeProfile(profileFile),
  };
}

// ── main ────────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), USAGE, ["--no-build"], ["--tasks", "--concurrency", "--deadline"]);
  const started = performance.now();
  const tasks = integerOption(options, "--tasks", options.quick ? 5_000 : 20_000);
  const concurrency = integerOption(options, "--concurrency", 16);
  const deadlineMs = integerOption(options, "--deadline", options.quick ? 12 : 40) * 1000;
  const print = (line = ""): void => {
    if (!options.json) process.stdout.write(`${line}\n`);
  };
  const build = ensureBuilt(options.flags.has("--no-build"));
  const dir = tempDir("orchestra-bench-e2e-");
  const profileDir = options.cpuProf ? join(dir.path, "profiles") : null;
  print(
    `Orchestra end-to-end benchmark — node ${process.version}, ${process.platform}-${process.arch}; ` +
      `dist/ ${build.action}${build.ms > 0 ? ` (${formatMs(build.ms)} ms)` : ""}; files in ${dir.path}`,
  );
  print(
    `${formatInt(tasks)} trivial tasks per case over ${TRIVIAL_JOBS} jobs, enqueued with writeDispatch in one transaction; ` +
      `workers: bin/orchestra.js worker --concurrency ${concurrency}; deadline ${deadlineMs / 1000} s per case`,
  );
  print();

  const results: CaseResult[] = [];
  for (const workers of [1, 4]) {
    if (!options.json) process.stderr.write(`  ${workers} worker${workers === 1 ? "" : "s"}…\n`);
    results.push(await runCase({ dir: dir.path, workers, concurrency, tasks, deadlineMs, profileDir }));
  }

  print("Tasks per second, queue → run → recorded success");
  print(
    table(
      [
        { header: "workers", right: true },
        { header: "concurrency", right: true },
        { header: "tasks", right: true },
        { header: "fill", right: true },
        { header: "succeeded", right: true },
        { header: "start-up", right: true },
        { header: "steady tasks/s", right: true },
        { header: "wall tasks/s", right: true },
        { header: "worker CPU/task", right: true },
        { header: "CPU cores used", right: true },
        { header: "errors", right: true },
        { header: "" },
      ],
      results.map((r) => [
        String(r.workers),
        String(r.concurrency),
        formatInt(r.tasks),
        `${formatMs(r.fillMs)} ms`,
        formatInt(r.succeeded),
        `${formatMs(r.startupMs)} ms`,
        formatInt(r.steadyPerSecond),
        formatInt(r.wallPerSecond),
        `${formatInt(r.cpuPerTaskUs)} µs`,
        r.cpuCores.toFixed(2),
        formatInt(r.workerErrors),
        r.timedOut ? `deadline: stopped after ${formatMs(r.elapsedMs / 1000)} s` : "",
      ]),
    ),
  );
  const odd = results.filter((r) => Object.keys(r.statuses).some((status) => status !== "success" && status !== "pending"));
  for (const r of odd) print(`note: ${r.workers} worker(s): run statuses ${JSON.stringify(r.statuses)}`);

  const checks = results.map((r) =>
    checkTarget({
      name: `tasks/s (steady) with ${r.workers} worker${r.workers === 1 ? "" : "s"} × concurrency ${r.concurrency}`,
      measured: r.steadyPerSecond,
      limit: TARGET_PER_SECOND,
      atLeast: true,
      unit: "/s",
    }),
  );
  print();
  print("Targets");
  print(targetTable(checks, (value) => `${formatInt(value)}/s`));
  for (const r of results) {
    if (r.profile === null) continue;
    print();
    print(`── CPU profile: worker 0 of ${r.workers} (whole process) ──`);
    print(formatProfile(r.profile));
  }
  const seconds = (performance.now() - started) / 1000;
  print();
  print(`${checks.filter((c) => c.pass).length}/${checks.length} targets met; ${seconds.toFixed(1)} s${options.keep || options.cpuProf ? `; files kept in ${dir.path}` : ""}`);
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          node: process.version,
          platform: `${process.platform}-${process.arch}`,
          quick: options.quick,
          build,
          method: { tasks, jobs: TRIVIAL_JOBS, concurrency, deadlineMs, pollMs: POLL_MS, task: "bench/fixtures/trivial.mjs#trivial" },
          cases: results,
          targets: checks,
          seconds: Number(seconds.toFixed(1)),
        },
        null,
        2,
      )}\n`,
    );
  }
  dir.cleanup(options.keep || options.cpuProf);
}

await main();
