/**
 * Scheduler benchmark: dispatch lateness with 1k / 10k / 100k jobs and a herd, memory per job, and
 * startup time to the first dispatch. It prints numbers; it is not a test.
 *
 *   node --import tsx bench/scheduler.bench.ts            full run (~2 min on 2 cores)
 *   node --import tsx bench/scheduler.bench.ts --quick    smaller sizes, shorter windows (~35 s)
 *   … --json        the results as one JSON object on stdout (no tables)
 *   … --cpu-prof    write V8 CPU profiles of the measured processes and print where the time goes
 *   … --keep        keep the temporary SQLite files (and profiles); their folder is printed
 *
 * Method. Every measurement runs in a fresh child process (this file with `--child`), each killed
 * when it outlives its deadline, on a real SQLite file in a temporary folder, with the real clock
 * (`systemClock`) and the real loop (`scheduler.start()`). No worker runs: dispatched messages pile
 * up in the queue table, as with `orchestra run --no-worker`. Per size:
 *
 *   1. define  — `scheduler.define(definitions, "bench")` of N jobs on an empty file (one transaction).
 *      The mix: 10 % "every 10 seconds", 50 % "every 1 minute", 20 % "every minute at S seconds"
 *      (S = 0…59), 20 % 6-field cron "S M-59/5 * * * *" (every 5 minutes), in 4 zones, with tags
 *      and, for a third of them, options. About 2.2 dispatches per second per 100 jobs.
 *   2. lateness — the jobs' phases are spread as if they had been added at random times (anchors of
 *      the interval jobs drawn uniformly over their period, written straight into the jobs table),
 *      then a new Scheduler loads them and runs its loop for a window. The first seconds are a
 *      warm-up and are not counted. Two latenesses per dispatched occurrence:
 *        recorded = occurrences.lateness (dispatched_at − due_at; dispatched_at is the instant the
 *                   batch began, read before its transaction);
 *        observed = the instant the "dispatched" event arrived (after the commit: when a worker can
 *                   first see the message) − due_at.
 *      The Schedulers dispatch ahead by the product's default lookahead (--lookahead=MS to change it;
 *      0 = at the due instant): a message sent ahead is runnable at its due instant, so both count 0.
 *      Also: the scheduler process's CPU use and the event loop's longest block in the window.
 *      At the largest size the run is repeated on a copy whose minutely and cron jobs are rewritten as
 *      interval jobs of the same period ("uniform": no two jobs due at the same millisecond), to show
 *      what the second-aligned crowds of the mix cost.
 *   3. memory  — in a process with --expose-gc, a first Scheduler loads the N jobs and is dropped
 *      (warming every code path and cache), then heap is measured after GC, a second Scheduler loads
 *      them, GC again: heap difference / N is the scheduler's memory per job. RSS growth from before
 *      the first load / N is an upper bound for the whole process (SQLite cache, compiled code).
 *   4. startup — a fresh process opens that file (left by the lateness run's scheduler, with jobs now
 *      overdue), loads and starts a Scheduler: time from opening the store to the first "dispatched"
 *      event, and its parts.
 * Then the herd: H jobs all due at the same millisecond (next_due written straight into the table),
 * loaded and started: time from that instant to the last dispatch, dispatches per second, lateness,
 * and how many of them were dispatched as catch-ups because the drain outlasted the 1 s grace.
 */
import { copyFileSync, existsSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { migrateSqliteQueue, SqliteTaskQueue } from "../src/broker/sqlite/sqlite-task-queue.ts";
import type { JobDefinition } from "../src/jobs/definition.ts";
import type { SchedulerEvent } from "../src/scheduler/events.ts";
import { DEFAULT_LOOKAHEAD_MS, Scheduler } from "../src/scheduler/scheduler.ts";
import { openSqliteStore, type SqliteStore } from "../src/store/sqlite/open.ts";
import { parseTiming } from "../src/timing/parse.ts";
import type { Trigger } from "../src/timing/trigger.ts";
import {
  checkTarget,
  distribution,
  emitResult,
  formatBytes,
  formatInt,
  formatMs,
  formatProfile,
  parseOptions,
  PROFILE_ENV,
  startProfiling,
  runChild,
  summarizeProfile,
  table,
  targetTable,
  tempDir,
  type Distribution,
  type Target,
} from "./fixtures/support.ts";

const SCRIPT = fileURLToPath(import.meta.url);
const USAGE = "usage: node --import tsx bench/scheduler.bench.ts [--quick] [--json] [--cpu-prof] [--keep] [--lookahead=MS]";
/** Passes --lookahead to the children, which build the measured Schedulers. */
const LOOKAHEAD_ENV = "ORCHESTRA_BENCH_LOOKAHEAD_MS";

/** The measured schedulers dispatch ahead like the product's (`orchestra run`), unless told otherwise. */
function benchLookahead(): number {
  const text = process.env[LOOKAHEAD_ENV];
  return text === undefined ? DEFAULT_LOOKAHEAD_MS : Number(text);
}

/** Targets of the issue. */
const TARGET_P99_MS = 5;
const TARGET_BYTES_PER_JOB = 1024;
const TARGET_STARTUP_MS = 2000;

// ── the job mix ─────────────────────────────────────────────────────────────────────────────────

const ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"];
const MODULES = ["reports", "billing", "sync", "cleanup", "notify", "metrics", "search", "backup"];
const TASKS = ["refresh", "run", "collect", "send"];

/** A small deterministic PRNG (mulberry32): the same jobs on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(items: readonly T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) throw new Error("empty list");
  return item;
}

/** N realistic jobs: mostly minutely and 10-second intervals, second-aligned minutely and cron jobs. */
function mixedDefinitions(n: number, timingOf?: (i: number) => string): JobDefinition[] {
  const random = prng(0x5eed + n);
  return Array.from({ length: n }, (_, i) => {
    const r = random();
    const timing =
      timingOf?.(i) ??
      (r < 0.1
        ? "every 10 seconds"
        : r < 0.6
          ? "every 1 minute"
          : r < 0.8
            ? `every minute at ${i % 60} seconds`
            : `${Math.floor(random() * 60)} ${Math.floor(random() * 5)}-59/5 * * * *`);
    const module = pick(MODULES, i);
    return {
      name: `${module}-${pick(TASKS, i >> 3)}-${i}`,
      module: `/srv/app/tasks/${module}.mjs`,
      task: pick(TASKS, i >> 3),
      timing,
      timezone: pick(ZONES, i >> 5),
      tags: ["bench", module],
      options: i % 3 === 0 ? { queue: "default", args: [i], retries: 2 } : {},
      missed: "once",
      maxCatchup: 100,
    };
  });
}

async function openBenchStore(path: string): Promise<SqliteStore> {
  const store = await openSqliteStore(path);
  await migrateSqliteQueue(store);
  return store;
}

interface JobRowLite {
  name: string;
  timing: string;
  timezone: string;
  kind: string;
  anchor: number;
}

/**
 * Spreads the stored jobs' phases as if each had been added at a random time: an interval job's
 * anchor is drawn uniformly over its period; every job's next due becomes its first fire after `base`.
 * Written straight into the jobs table, in one transaction (the Scheduler API has no way to back-date).
 */
function spreadPhases(store: SqliteStore, base: number): void {
  const random = prng(0xa11ce);
  const triggers = new Map<string, Trigger>();
  const rows = store.native.prepare("select name, timing, timezone, kind, anchor from jobs order by name").all() as JobRowLite[];
  const update = store.native.prepare("update jobs set anchor = ?, next_due = ?, state = 'running' where name = ?");
  store.native.transaction(() => {
    for (const row of rows) {
      const key = `${row.timezone}\u0000${row.timing}`;
      let trigger = triggers.get(key);
      if (trigger === undefined) {
        trigger = parseTiming(row.timing, row.timezone);
        triggers.set(key, trigger);
      }
      let anchor = row.anchor;
      if (row.kind === "CYCLIC") {
        const period = (trigger.nextFire(base, base) ?? base + 60_000) - base;
        anchor = base - Math.floor(random() * period);
      }
      update.run(anchor, trigger.nextFire(base, anchor), row.name);
    }
  })();
  // Fold this big write into the file now, so its checkpoint does not land in the measured window.
  store.native.pragma("wal_checkpoint(TRUNCATE)");
}

/** Every job due at the same instant `at` (interval jobs of an hour, so each fires once in the run). */
function herdAt(store: SqliteStore, at: number): void {
  store.native.prepare("update jobs set anchor = ?, next_due = ?, state = 'running'").run(at - 3_600_000, at);
  store.native.pragma("wal_checkpoint(TRUNCATE)");
}

// ── children ────────────────────────────────────────────────────────────────────────────────────

interface DefineResult {
  readonly jobs: number;
  readonly defineMs: number;
  readonly fileBytes: number;
}

async function defineChild(path: string, n: number): Promise<DefineResult> {
  const store = await openBenchStore(path);
  const definitions = mixedDefinitions(n);
  const scheduler = new Scheduler({ store, queue: new SqliteTaskQueue() });
  await scheduler.load();
  const started = performance.now();
  await scheduler.define(definitions, "bench");
  const defineMs = performance.now() - started;
  const page = store.native.pragma("page_count", { simple: true }) as number;
  const size = store.native.pragma("page_size", { simple: true }) as number;
  await store.close();
  return { jobs: n, defineMs, fileBytes: page * size };
}

interface Outcomes {
  readonly dispatched: number;
  readonly catchUp: number;
  readonly missed: number;
}

interface LatenessResult {
  readonly jobs: number;
  readonly variant: Variant;
  readonly loadMs: number;
  /** Load ended this long after the spread base (> 0: some jobs were already due at start). */
  readonly loadOverrunMs: number;
  readonly windowMs: number;
  readonly warmupMs: number;
  readonly outcomes: Outcomes;
  readonly perSecond: number;
  readonly recorded: Distribution;
  readonly observed: Distribution;
  readonly cpuShare: number;
  readonly loopDelayMaxMs: number;
  readonly loopDelayP99Ms: number;
  readonly errors: number;
}

/**
 * The same jobs with every due instant on its own millisecond: minutely and cron jobs become interval
 * jobs of the same period ("every 1 minute", "every 5 minutes"), whose phases are then spread. Same
 * dispatch rate as the mix, no second-aligned crowds.
 */
function rewriteAsIntervals(store: SqliteStore): void {
  store.native.exec(
    "update jobs set timing = case kind when 'MINUTELY' then 'every 1 minute' when 'CRON' then 'every 5 minutes' else timing end, kind = 'CYCLIC'",
  );
}

type Variant = "mix" | "uniform";

async function latenessChild(path: string, n: number, windowMs: number, warmupMs: number, variant: Variant): Promise<LatenessResult> {
  const store = await openBenchStore(path);
  if (variant === "uniform") rewriteAsIntervals(store);
  // The spread starts after the expected load, so (ideally) nothing is overdue when the loop starts.
  const base = Date.now() + 300 + Math.ceil(n * 0.02);
  spreadPhases(store, base);
  const observedDue: number[] = [];
  const observedAt: number[] = [];
  let errors = 0;
  const onEvent = (event: SchedulerEvent): void => {
    if (event.type === "dispatched") {
      observedAt.push(Date.now());
      observedDue.push(event.dueAt);
    } else if (event.type === "error") {
      errors++;
      process.stderr.write(`scheduler error: ${String(event.error)}\n`);
    }
  };
  const scheduler = new Scheduler({ store, queue: new SqliteTaskQueue(), onEvent, lookaheadMs: benchLookahead() });
  const loadStarted = performance.now();
  await scheduler.load();
  const loadMs = performance.now() - loadStarted;
  const loadOverrunMs = Date.now() - base;

  const startedAt = Date.now();
  const from = startedAt + warmupMs;
  const to = from + windowMs;
  scheduler.start();
  // A profiler (--cpu-prof) starts a second before the window: its own start-up stalls the loop.
  await sleep(Math.max(0, from - 1000 - Date.now()));
  const stopProfiling = await startProfiling();
  await sleep(Math.max(0, from - Date.now()));
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const cpu = process.cpuUsage();
  const cpuWall = performance.now();
  await sleep(Math.max(0, to - Date.now()));
  const cpuUsed = process.cpuUsage(cpu);
  await stopProfiling();
  const cpuShare = (cpuUsed.user + cpuUsed.system) / 1000 / (performance.now() - cpuWall);
  loop.disable();
  // A little slack so that occurrences due at the end of the window are dispatched too.
  await sleep(250);
  await scheduler.stop();

  const rows = store.native
    .prepare("select lateness, outcome from occurrences where origin = 'schedule' and due_at >= ? and due_at < ?")
    .all(from, to) as { lateness: number | null; outcome: string }[];
  const recorded: number[] = [];
  let dispatched = 0;
  let catchUp = 0;
  let missed = 0;
  for (const row of rows) {
    if (row.outcome === "missed") missed++;
    else {
      if (row.outcome === "catch-up") catchUp++;
      else dispatched++;
      recorded.push(row.lateness ?? NaN);
    }
  }
  const observed: number[] = [];
  observedDue.forEach((due, i) => {
    // Sent ahead (lookahead), a message is first runnable at its due instant: 0 late.
    if (due >= from && due < to) observed.push(Math.max(0, (observedAt[i] ?? NaN) - due));
  });
  await store.close();
  return {
    jobs: n,
    variant,
    loadMs,
    loadOverrunMs,
    windowMs,
    warmupMs,
    outcomes: { dispatched, catchUp, missed },
    perSecond: (recorded.length / windowMs) * 1000,
    recorded: distribution(recorded),
    observed: distribution(observed),
    cpuShare,
    loopDelayMaxMs: loop.max / 1e6,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    errors,
  };
}

interface MemoryResult {
  readonly jobs: number;
  readonly gc: boolean;
  readonly heapPerJob: number;
  readonly rssPerJob: number;
  /** Distinct (timing, zone) pairs: the scheduler shares one trigger per pair. */
  readonly triggers: number;
  /** Heap of those triggers, parsed afresh (zones already cached). */
  readonly triggerBytes: number;
  readonly heapBefore: number;
  readonly heapAfter: number;
  readonly rssBaseline: number;
  readonly rssAfter: number;
  readonly maxRss: number;
  readonly loadMs: number;
}

function collect(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return false;
  gc();
  gc();
  return true;
}

/** Keeps the measured schedulers reachable, so GC cannot take them before they are measured. */
const retained: Scheduler[] = [];

/** Loads the jobs into a Scheduler that is dropped at once: warms every code path, cache and zone. */
async function loadAndDrop(store: SqliteStore, n: number): Promise<void> {
  const scheduler = new Scheduler({ store, queue: new SqliteTaskQueue() });
  await scheduler.load();
  if (scheduler.size !== n) throw new Error(`expected ${n} jobs, loaded ${scheduler.size}`);
}

/** The distinct (timing, zone) pairs of the stored jobs, parsed afresh: what the scheduler's shared triggers weigh. */
function parseDistinctTriggers(store: SqliteStore): Trigger[] {
  const rows = store.native.prepare("select distinct timing, timezone from jobs").all() as { timing: string; timezone: string }[];
  return rows.map((row) => parseTiming(row.timing, row.timezone));
}

async function memoryChild(path: string, n: number): Promise<MemoryResult> {
  const store = await openBenchStore(path);
  const gc = collect();
  const rssBaseline = process.memoryUsage().rss;
  await loadAndDrop(store, n);
  collect();
  const before = process.memoryUsage();
  const scheduler = new Scheduler({ store, queue: new SqliteTaskQueue() });
  retained.push(scheduler);
  const started = performance.now();
  await scheduler.load();
  const loadMs = performance.now() - started;
  collect();
  const after = process.memoryUsage();
  // The same triggers once more, alone: how much of the scheduler's memory is its (shared) triggers.
  const triggers = parseDistinctTriggers(store);
  collect();
  const withTriggers = process.memoryUsage();
  const heap = (m: NodeJS.MemoryUsage): number => m.heapUsed + m.external;
  const result: MemoryResult = {
    jobs: n,
    gc,
    heapPerJob: (heap(after) - heap(before)) / n,
    rssPerJob: (after.rss - rssBaseline) / n,
    triggers: triggers.length,
    triggerBytes: heap(withTriggers) - heap(after),
    heapBefore: before.heapUsed,
    heapAfter: after.heapUsed,
    rssBaseline,
    rssAfter: after.rss,
    maxRss: process.resourceUsage().maxRSS * 1024,
    loadMs,
  };
  retained.length = 0;
  await store.close();
  return result;
}

interface StartupResult {
  readonly jobs: number;
  readonly openMs: number;
  readonly loadMs: number;
  /** From start() to the first "dispatched" event. */
  readonly firstDispatchAfterStartMs: number;
  /** The target: from opening the store to the first "dispatched" event. */
  readonly toFirstDispatchMs: number;
  /** From the parent's spawn to the first "dispatched" event (includes Node, tsx and imports). */
  readonly fromSpawnMs: number;
  /** How far the earliest due instant lay ahead of the start (> 0: part of the time is waiting, not work). */
  readonly earliestDueAheadMs: number;
  readonly overdue: number;
}

async function startupChild(path: string, n: number, spawnedAt: number): Promise<StartupResult> {
  let firstDispatch: (() => void) | null = null;
  const dispatched = new Promise<void>((resolve) => {
    firstDispatch = resolve;
  });
  let firstAt = NaN;
  const onEvent = (event: SchedulerEvent): void => {
    if (event.type === "dispatched" && Number.isNaN(firstAt)) {
      firstAt = performance.now();
      firstDispatch?.();
    }
  };
  const stopProfiling = await startProfiling();
  const opened = performance.now();
  const store = await openBenchStore(path);
  const openMs = performance.now() - opened;
  const scheduler = new Scheduler({ store, queue: new SqliteTaskQueue(), onEvent, lookaheadMs: benchLookahead() });
  const loadStarted = performance.now();
  await scheduler.load();
  const loadMs = performance.now() - loadStarted;
  if (scheduler.size !== n) throw new Error(`expected ${n} jobs, loaded ${scheduler.size}`);
  const now = Date.now();
  const overdue = (store.native.prepare("select count(*) as n from jobs where next_due <= ?").get(now) as { n: number }).n;
  const earliestDueAheadMs = (scheduler.nextDue() ?? Infinity) - now;
  const started = performance.now();
  scheduler.start();
  await dispatched;
  const fromSpawnMs = Date.now() - spawnedAt;
  await stopProfiling();
  return {
    jobs: n,
    openMs,
    loadMs,
    firstDispatchAfterStartMs: firstAt - started,
    toFirstDispatchMs: firstAt - opened,
    fromSpawnMs,
    earliestDueAheadMs,
    overdue,
  };
  // The loop goes on dispatching the backlog; the parent's result reader does not wait for it (exit below).
}

interface HerdResult {
  readonly jobs: number;
  readonly defineMs: number;
  readonly loadMs: number;
  /** The herd's instant lay this far ahead when the loop started (< 0: load overran it). */
  readonly leadMs: number;
  readonly dispatched: number;
  readonly catchUp: number;
  readonly missed: number;
  /** From the herd's instant to the first and to the last "dispatched" event. */
  readonly firstMs: number;
  readonly drainMs: number;
  readonly perSecond: number;
  readonly recorded: Distribution;
  readonly observed: Distribution;
  readonly loopDelayMaxMs: number;
  readonly timedOut: boolean;
}

async function herdChild(path: string, n: number, deadlineMs: number): Promise<HerdResult> {
  const store = await openBenchStore(path);
  const definer = new Scheduler({ store, queue: new SqliteTaskQueue() });
  await definer.load();
  const defineStarted = performance.now();
  await definer.define(
    mixedDefinitions(n, () => "every 1 hour"),
    "bench",
  );
  const defineMs = performance.now() - defineStarted;
  const at = Date.now() + 1500 + Math.ceil(n * 0.02);
  herdAt(store, at);

  const observed: number[] = [];
  let catchUp = 0;
  let missed = 0;
  let lastAt = NaN;
  let firstAt = NaN;
  let done: (() => void) | null = null;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  let count = 0;
  const onEvent = (event: SchedulerEvent): void => {
    if (event.type === "dispatched" || event.type === "missed") {
      const now = Date.now();
      if (Number.isNaN(firstAt)) firstAt = now;
      lastAt = now;
      count++;
      if (event.type === "missed") missed++;
      else {
        observed.push(Math.max(0, now - event.dueAt)); // sent ahead: runnable at its due instant
        if (event.catchUp) catchUp++;
      }
      if (count >= n) done?.();
    }
  };
  const scheduler = new Scheduler({ store, queue: new SqliteTaskQueue(), onEvent, lookaheadMs: benchLookahead() });
  const loadStarted = performance.now();
  await scheduler.load();
  const loadMs = performance.now() - loadStarted;
  const stopProfiling = await startProfiling();
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const leadMs = at - Date.now();
  scheduler.start();
  const timedOut = await Promise.race([finished.then(() => false), sleep(Math.max(0, at - Date.now()) + deadlineMs).then(() => true)]);
  await stopProfiling();
  loop.disable();
  await scheduler.stop();
  const recorded = (store.native.prepare("select lateness from occurrences where outcome <> 'missed'").all() as { lateness: number }[]).map(
    (row) => row.lateness,
  );
  await store.close();
  const drainMs = lastAt - at;
  return {
    jobs: n,
    defineMs,
    loadMs,
    leadMs,
    dispatched: observed.length,
    catchUp,
    missed,
    firstMs: firstAt - at,
    drainMs,
    perSecond: (count / Math.max(1, drainMs)) * 1000,
    recorded: distribution(recorded),
    observed: distribution(observed),
    loopDelayMaxMs: loop.max / 1e6,
    timedOut,
  };
}

async function child(args: readonly string[]): Promise<void> {
  const [kind, path, size, extra1, extra2, extra3] = args;
  const n = Number(size);
  if (path === undefined || !Number.isInteger(n)) throw new Error(`bad child arguments: ${args.join(" ")}`);
  switch (kind) {
    case "define":
      emitResult(await defineChild(path, n));
      break;
    case "lateness":
      emitResult(await latenessChild(path, n, Number(extra1), Number(extra2), extra3 === "uniform" ? "uniform" : "mix"));
      break;
    case "memory":
      emitResult(await memoryChild(path, n));
      break;
    case "startup":
      emitResult(await startupChild(path, n, Number(extra1)));
      break;
    case "herd":
      emitResult(await herdChild(path, n, Number(extra1)));
      break;
    default:
      throw new Error(`unknown child ${String(kind)}`);
  }
  process.exit(0);
}

// ── parent ──────────────────────────────────────────────────────────────────────────────────────

interface SizeResults {
  readonly jobs: number;
  define: DefineResult | null;
  lateness: LatenessResult | null;
  /** The largest size only: the same jobs as intervals with spread phases (no two due at the same millisecond). */
  uniform: LatenessResult | null;
  memory: MemoryResult | null;
  startup: StartupResult | null;
  notes: string[];
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), USAGE, [], ["--lookahead"]);
  const lookahead = options.values.get("--lookahead");
  if (lookahead !== undefined) {
    if (!/^\d+$/.test(lookahead)) {
      process.stderr.write(`--lookahead must be a whole number of milliseconds, not "${lookahead}"\n`);
      process.exit(2);
    }
    process.env[LOOKAHEAD_ENV] = lookahead;
  }
  const started = performance.now();
  const sizes = options.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  const herdSizes = options.quick ? [10_000] : [10_000, 100_000];
  const windowMs = options.quick ? 4_000 : 12_000;
  const warmupMs = options.quick ? 1_500 : 3_000;
  const print = (line = ""): void => {
    if (!options.json) process.stdout.write(`${line}\n`);
  };
  const dir = tempDir("orchestra-bench-scheduler-");
  const profileDir = join(dir.path, "profiles");
  const nodeArgs = ["--expose-gc", "--import", "tsx"];
  /** With --cpu-prof, the children that measure dispatch profile their measured part into this file. */
  const profileFile = (name: string): string => join(profileDir, `${name}.cpuprofile`);
  const profileEnv = (name: string): Record<string, string> =>
    options.cpuProf && /^(lateness|startup|herd)-/.test(name) ? { [PROFILE_ENV]: profileFile(name) } : {};
  print(
    `Orchestra scheduler benchmark — node ${process.version}, ${process.platform}-${process.arch}; ` +
      `real clock, real loop, SQLite file in ${dir.path}; no worker (messages pile up in the queue table)`,
  );
  print(`dispatch lookahead ${benchLookahead()} ms (the product's default; --lookahead=0 dispatches at the due instant)`);
  print(`sizes ${sizes.map(formatInt).join(", ")}; lateness window ${windowMs / 1000} s after a ${warmupMs / 1000} s warm-up${options.quick ? " (quick)" : ""}`);
  if (options.cpuProf) print("PROFILED (--cpu-prof): the sampling profiler slows the measured processes; read the numbers with that in mind");
  print();

  const all: SizeResults[] = [];
  for (const n of sizes) {
    const path = join(dir.path, `jobs-${n}.db`);
    const results: SizeResults = { jobs: n, define: null, lateness: null, uniform: null, memory: null, startup: null, notes: [] };
    all.push(results);
    const step = async <T>(name: string, args: string[], timeoutMs: number, file = path, profileName = `${name}-${n}`): Promise<T | null> => {
      try {
        const run = await runChild(nodeArgs, SCRIPT, ["--child", name, file, String(n), ...args], timeoutMs, profileEnv(profileName));
        if (run.timedOut) results.notes.push(`${name}: killed after ${timeoutMs / 1000} s`);
        return run.result as T | null;
      } catch (error) {
        results.notes.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      }
    };
    if (!options.json) process.stderr.write(`  ${formatInt(n)} jobs: define… `);
    results.define = await step<DefineResult>("define", [], 30_000 + n * 0.3);
    const largest = n === sizes.at(-1);
    const uniformPath = join(dir.path, `jobs-${n}-uniform.db`);
    if (largest && results.define !== null) copyFileSync(path, uniformPath);
    const latenessTimeout = windowMs + warmupMs + 30_000 + n * 0.1;
    if (!options.json) process.stderr.write("lateness… ");
    results.lateness = await step<LatenessResult>("lateness", [String(windowMs), String(warmupMs), "mix"], latenessTimeout);
    if (!options.json) process.stderr.write("memory… ");
    results.memory = await step<MemoryResult>("memory", [], 30_000 + n * 0.2);
    if (!options.json) process.stderr.write(largest ? "startup… " : "startup…\n");
    results.startup = await step<StartupResult>("startup", [String(Date.now())], 30_000 + n * 0.1);
    if (largest && results.define !== null) {
      if (!options.json) process.stderr.write("lateness (uniform phases)…\n");
      results.uniform = await step<LatenessResult>(
        "lateness",
        [String(windowMs), String(warmupMs), "uniform"],
        latenessTimeout,
        uniformPath,
        `lateness-uniform-${n}`,
      );
    }
  }

  const herds: { jobs: number; result: HerdResult | null; note: string | null }[] = [];
  for (const n of herdSizes) {
    if (!options.json) process.stderr.write(`  herd of ${formatInt(n)}…\n`);
    const deadlineMs = options.quick ? 20_000 : 60_000;
    try {
      const run = await runChild(
        nodeArgs,
        SCRIPT,
        ["--child", "herd", join(dir.path, `herd-${n}.db`), String(n), String(deadlineMs)],
        deadlineMs + 30_000 + n * 0.3,
        profileEnv(`herd-${n}`),
      );
      herds.push({ jobs: n, result: run.result as HerdResult | null, note: run.timedOut ? "killed at its deadline" : null });
    } catch (error) {
      herds.push({ jobs: n, result: null, note: error instanceof Error ? error.message : String(error) });
    }
  }

  // ── tables ──
  const cellsOf = (d: Distribution | undefined): string[] => (d === undefined ? ["", "", ""] : [formatMs(d.p50), formatMs(d.p99), formatMs(d.max)]);
  print("Dispatch lateness in steady state (ms; recorded = occurrences.lateness, observed = commit − due; both 0 when sent ahead)");
  print("phases: mix = second-aligned minutely/cron jobs share instants; uniform = same jobs as intervals, every due on its own ms");
  print(
    table(
      [
        { header: "jobs", right: true },
        { header: "phases" },
        { header: "define", right: true },
        { header: "load", right: true },
        { header: "disp/s", right: true },
        { header: "samples", right: true },
        { header: "rec p50", right: true },
        { header: "rec p99", right: true },
        { header: "rec max", right: true },
        { header: "obs p50", right: true },
        { header: "obs p99", right: true },
        { header: "obs max", right: true },
        { header: "catch-up/missed", right: true },
        { header: "CPU", right: true },
        { header: "loop block max", right: true },
      ],
      all
        .flatMap((r) => [
          { r, l: r.lateness, phases: "mix" },
          ...(r.uniform === null ? [] : [{ r, l: r.uniform, phases: "uniform" }]),
        ])
        .map(({ r, l, phases }) => [
          formatInt(r.jobs),
          phases,
          r.define === null || phases !== "mix" ? "" : `${formatMs(r.define.defineMs)} ms`,
          l === null ? "–" : `${formatMs(l.loadMs)} ms`,
          l === null ? "–" : formatInt(l.perSecond),
          l === null ? "–" : formatInt(l.recorded.count),
          ...cellsOf(l?.recorded),
          ...cellsOf(l?.observed),
          l === null ? "–" : `${l.outcomes.catchUp}/${l.outcomes.missed}`,
          l === null ? "–" : `${(l.cpuShare * 100).toFixed(0)}%`,
          l === null ? "–" : `${formatMs(l.loopDelayMaxMs)} ms`,
        ]),
    ),
  );
  print();
  print("Herd: every job due at the same millisecond");
  print(
    table(
      [
        { header: "jobs", right: true },
        { header: "load", right: true },
        { header: "first", right: true },
        { header: "drain", right: true },
        { header: "disp/s", right: true },
        { header: "rec p50", right: true },
        { header: "rec p99", right: true },
        { header: "rec max", right: true },
        { header: "obs p50", right: true },
        { header: "obs p99", right: true },
        { header: "obs max", right: true },
        { header: "catch-up", right: true },
        { header: "missed", right: true },
        { header: "loop block max", right: true },
      ],
      herds.map(({ jobs, result: h }) => [
        formatInt(jobs),
        h === null ? "–" : `${formatMs(h.loadMs)} ms`,
        h === null ? "–" : `${formatMs(h.firstMs)} ms`,
        h === null ? "–" : `${formatMs(h.drainMs)} ms${h.timedOut ? " (timeout)" : ""}`,
        h === null ? "–" : formatInt(h.perSecond),
        ...cellsOf(h?.recorded),
        ...cellsOf(h?.observed),
        h === null ? "–" : formatInt(h.catchUp),
        h === null ? "–" : formatInt(h.missed),
        h === null ? "–" : `${formatMs(h.loopDelayMaxMs)} ms`,
      ]),
    ),
  );
  print();
  print("Memory per job (after GC; heap = the second Scheduler's retained heap + external; RSS = process growth, an upper bound)");
  print(
    table(
      [
        { header: "jobs", right: true },
        { header: "heap/job", right: true },
        { header: "triggers", right: true },
        { header: "trigger heap", right: true },
        { header: "heap/job w/o triggers", right: true },
        { header: "RSS/job", right: true },
        { header: "heap before", right: true },
        { header: "heap after", right: true },
        { header: "RSS after", right: true },
        { header: "peak RSS", right: true },
        { header: "GC", right: true },
      ],
      all.map((r) => {
        const m = r.memory;
        return m === null
          ? [formatInt(r.jobs), "–"]
          : [
              formatInt(r.jobs),
              formatBytes(m.heapPerJob),
              formatInt(m.triggers),
              formatBytes(m.triggerBytes),
              formatBytes(m.heapPerJob - m.triggerBytes / m.jobs),
              formatBytes(m.rssPerJob),
              formatBytes(m.heapBefore),
              formatBytes(m.heapAfter),
              formatBytes(m.rssAfter),
              formatBytes(m.maxRss),
              m.gc ? "yes" : "NO",
            ];
      }),
    ),
  );
  print();
  print("Startup with the jobs already stored (ms)");
  print(
    table(
      [
        { header: "jobs", right: true },
        { header: "open store", right: true },
        { header: "load", right: true },
        { header: "start → 1st dispatch", right: true },
        { header: "open → 1st dispatch", right: true },
        { header: "spawn → 1st dispatch", right: true },
        { header: "overdue jobs", right: true },
      ],
      all.map((r) => {
        const s = r.startup;
        return s === null
          ? [formatInt(r.jobs), "–"]
          : [
              formatInt(r.jobs),
              formatMs(s.openMs),
              formatMs(s.loadMs),
              formatMs(s.firstDispatchAfterStartMs),
              formatMs(s.toFirstDispatchMs),
              formatMs(s.fromSpawnMs),
              `${formatInt(s.overdue)}${s.earliestDueAheadMs > 0 ? ` (first due in ${formatMs(s.earliestDueAheadMs)})` : ""}`,
            ];
      }),
    ),
  );
  const notes = [
    ...all.flatMap((r) => r.notes.map((note) => `${formatInt(r.jobs)} jobs: ${note}`)),
    ...all.flatMap((r) =>
      r.lateness !== null && r.lateness.loadOverrunMs > 0
        ? [`${formatInt(r.jobs)} jobs: load ended ${formatMs(r.lateness.loadOverrunMs)} ms after the first due instants (backlog at start; inside the warm-up)`]
        : [],
    ),
    ...all.flatMap((r) => (r.lateness !== null && r.lateness.errors > 0 ? [`${formatInt(r.jobs)} jobs: ${r.lateness.errors} scheduler errors`] : [])),
    ...herds.flatMap((h) => [
      ...(h.note === null ? [] : [`herd of ${formatInt(h.jobs)}: ${h.note}`]),
      ...(h.result !== null && h.result.leadMs < 0 ? [`herd of ${formatInt(h.jobs)}: load ended ${formatMs(-h.result.leadMs)} ms after the herd's instant`] : []),
    ]),
  ];
  if (notes.length > 0) {
    print();
    for (const note of notes) print(`note: ${note}`);
  }

  // ── targets ──
  const largest = all.at(-1);
  const label = largest === undefined ? "" : ` @ ${formatInt(largest.jobs)} jobs${options.quick ? " (quick)" : ""}`;
  const targets: Target[] = [
    { name: `lateness p99, recorded${label}`, measured: largest?.lateness?.recorded.p99 ?? NaN, limit: TARGET_P99_MS, atLeast: false, unit: "ms" },
    {
      name: `lateness p99, observed at commit${label} (informative)`,
      measured: largest?.lateness?.observed.p99 ?? NaN,
      limit: TARGET_P99_MS,
      atLeast: false,
      unit: "ms",
    },
    { name: `scheduler heap per job${label}`, measured: largest?.memory?.heapPerJob ?? NaN, limit: TARGET_BYTES_PER_JOB, atLeast: false, unit: "B" },
    { name: `startup: open → first dispatch${label}`, measured: largest?.startup?.toFirstDispatchMs ?? NaN, limit: TARGET_STARTUP_MS, atLeast: false, unit: "ms" },
  ];
  const checks = targets.map(checkTarget);
  print();
  print("Targets");
  print(targetTable(checks, (value, unit) => (unit === "B" ? formatBytes(value) : `${formatMs(value)} ${unit}`)));

  // Profiles of the processes that matter most: the largest size's lateness and startup, the largest herd.
  const profiled = [`lateness-${String(largest?.jobs)}`, `startup-${String(largest?.jobs)}`, `herd-${String(herds.at(-1)?.jobs)}`];
  const profiles = options.cpuProf
    ? profiled.flatMap((name) => {
        const file = profileFile(name);
        return existsSync(file) ? [{ name, summary: summarizeProfile(file) }] : [];
      })
    : [];
  for (const { name, summary } of profiles) {
    print();
    print(`── CPU profile: ${name} ──`);
    print(formatProfile(summary));
  }
  const seconds = (performance.now() - started) / 1000;
  print();
  print(`${checks.filter((c) => c.pass).length}/${checks.length} targets met; ${seconds.toFixed(1)} s${options.keep ? `; files kept in ${dir.path}` : ""}`);
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          node: process.version,
          platform: `${process.platform}-${process.arch}`,
          quick: options.quick,
          method: { windowMs, warmupMs, worker: "none: messages pile up in the queue table", clock: "systemClock", loop: "scheduler.start()" },
          sizes: all,
          herds,
          targets: checks,
          profiles,
          seconds: Number(seconds.toFixed(1)),
        },
        null,
        2,
      )}\n`,
    );
  }
  dir.cleanup(options.keep || options.cpuProf);
  if (options.cpuProf && !options.json) print(`profiles in ${profileDir}`);
}

if (process.argv[2] === "--child") await child(process.argv.slice(3));
else await main();
