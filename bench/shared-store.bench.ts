/**
 * Two schedulers sharing one store: dispatch lateness and exactly-once with 100k jobs on the
 * distributed pair (PostgreSQL store, BullMQ on Redis). It prints numbers; it is not a test.
 *
 *   node --import tsx bench/shared-store.bench.ts            100,000 jobs, a 12 s window
 *   … --quick                                                10,000 jobs, a 5 s window
 *   … --lookahead=MS                                         the schedulers' lookahead (default: the product's)
 *   … --json                                                 the result as one JSON object
 *
 * Method. A fresh PostgreSQL schema gets N interval jobs (90 % every minute, 10 % every 10 seconds:
 * about 2,500 occurrences a second at 100k), their anchors spread over their periods, written straight
 * into the jobs table. Two child processes each run a real Scheduler on its own connection, with the
 * real clock, dispatching through its own BullMQ outbox publisher to one Redis (a fresh key prefix; no
 * worker runs, the jobs pile up). Both try every occurrence; the ledger's unique key lets one through.
 * After a warm-up (loading 100k jobs takes a while), occurrences due in the window are read back:
 *   lateness = occurrences.lateness (dispatched_at − due_at, 0 when sent ahead of its due instant);
 *   lost     = occurrences the jobs' schedules call for in the window that the ledger lacks;
 *   doubled  = (job, due instant) pairs recorded twice, and BullMQ jobs beyond the ledger's count.
 * Needs PostgreSQL (ORCHESTRA_BENCH_POSTGRES, default postgresql://root@127.0.0.1:5432/test) and Redis
 * (ORCHESTRA_BENCH_REDIS, default redis://127.0.0.1:6379/0); without them it says so and stops.
 */
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { sql } from "kysely";
import pg from "pg";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { connectionOf } from "../src/broker/bullmq/connection.ts";
import { openBroker } from "../src/broker/open.ts";
import { parseLocation, type RedisLocation } from "../src/config/locations.ts";
import { DEFAULT_LOOKAHEAD_MS, Scheduler } from "../src/scheduler/scheduler.ts";
import { openPostgresStore } from "../src/store/postgres/open.ts";
import { jobsRepository, type NewJob } from "../src/store/jobs.ts";
import { deleteByPrefix } from "./compare/redis.ts";
import { checkTarget, distribution, emitResult, formatInt, formatMs, parseOptions, runChild, table, targetTable, type Distribution } from "./fixtures/support.ts";

const USAGE = "usage: node --import tsx bench/shared-store.bench.ts [--quick] [--json] [--lookahead=MS]";
const SCRIPT = fileURLToPath(import.meta.url);
const POSTGRES = process.env.ORCHESTRA_BENCH_POSTGRES ?? "postgresql://root@127.0.0.1:5432/test";
const REDIS = process.env.ORCHESTRA_BENCH_REDIS ?? "redis://127.0.0.1:6379/0";
/** The target for two schedulers sharing 100k jobs. */
const TARGET_P99_MS = 20;

interface ChildResult {
  readonly loadMs: number;
  readonly dispatchedHere: number;
  readonly errors: string[];
}

function storeUrl(schema: string): string {
  const url = new URL(POSTGRES);
  url.searchParams.set("schema", schema);
  return url.toString();
}

function redisAt(prefix: string): RedisLocation {
  const url = new URL(REDIS);
  url.searchParams.set("prefix", prefix);
  return parseLocation(url.toString(), process.cwd(), "broker") as RedisLocation;
}

/** One scheduler process: loads the shared jobs, dispatches until `until`, reports. */
async function child([schema = "", prefix = "", untilText = "0", lookaheadText = "0"]: readonly string[]): Promise<void> {
  const store = await openPostgresStore(storeUrl(schema));
  const errors: string[] = [];
  const broker = await openBroker(redisAt(prefix), store, { onError: (error) => errors.push(String(error)) });
  let dispatchedHere = 0;
  const scheduler = new Scheduler({
    store,
    queue: broker.queue,
    lookaheadMs: Number(lookaheadText),
    onEvent: (event) => {
      if (event.type === "dispatched") dispatchedHere++;
      else if (event.type === "error") errors.push(String(event.error));
    },
  });
  const loading = performance.now();
  await scheduler.load();
  const loadMs = performance.now() - loading;
  scheduler.start();
  await sleep(Math.max(0, Number(untilText) - Date.now()));
  await scheduler.stop();
  await broker.close();
  await store.close();
  emitResult({ loadMs, dispatchedHere, errors: errors.slice(0, 5) } satisfies ChildResult);
}

/** N interval jobs with anchors spread over their periods, written straight into the jobs table. */
async function seed(schema: string, jobs: number, now: number): Promise<Map<string, { anchor: number; period: number }>> {
  const store = await openPostgresStore(storeUrl(schema));
  const schedule = new Map<string, { anchor: number; period: number }>();
  try {
    const rows: NewJob[] = [];
    for (let i = 0; i < jobs; i++) {
      const fast = i % 10 === 0;
      const period = fast ? 10_000 : 60_000;
      const anchor = now - Math.floor(Math.random() * period);
      const name = `job-${String(i).padStart(6, "0")}`;
      schedule.set(name, { anchor, period });
      const timing = fast ? "every 10 seconds" : "every 1 minute";
      const definition = { name, module: "/srv/app/tasks.mjs", task: "work", timing, timezone: "UTC", tags: [], options: {}, missed: "once" as const, maxCatchup: 100 };
      rows.push({ definition, kind: "CYCLIC", source: "bench", state: "running", anchor, nextDue: anchor + period });
    }
    await jobsRepository.insertMany(store.db, rows, now);
  } finally {
    await store.close();
  }
  return schedule;
}

/** Moves every job's schedule by `ms` (anchors were written relative to 0). */
async function shiftSchedules(schema: string, ms: number): Promise<void> {
  const store = await openPostgresStore(storeUrl(schema));
  try {
    await sql`update jobs set anchor = anchor + ${ms}, next_due = next_due + ${ms}`.execute(store.db);
  } finally {
    await store.close();
  }
}

/** How many occurrences the schedules call for in [from, to). */
function expectedIn(schedule: ReadonlyMap<string, { anchor: number; period: number }>, from: number, to: number): number {
  let count = 0;
  for (const { anchor, period } of schedule.values()) {
    const first = Math.max(1, Math.ceil((from - anchor) / period));
    const last = Math.ceil((to - anchor) / period) - 1;
    count += Math.max(0, last - first + 1);
  }
  return count;
}

async function reachable(): Promise<string | null> {
  const postgres = new pg.Client({ connectionString: POSTGRES, connectionTimeoutMillis: 2_000 });
  try {
    await postgres.connect();
    await postgres.query("select 1");
  } catch (error) {
    return `PostgreSQL at ${POSTGRES} does not answer (${String(error)})`;
  } finally {
    await postgres.end().catch(() => undefined);
  }
  const client = new Redis(REDIS, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    return `Redis at ${REDIS} does not answer (${String(error)})`;
  } finally {
    client.disconnect();
  }
  return null;
}

async function cleanUp(schema: string, prefix: string): Promise<void> {
  const store = await openPostgresStore(storeUrl(schema));
  await sql`drop schema ${sql.id(schema)} cascade`.execute(store.db);
  await store.close();
  const client = new Redis(REDIS);
  await deleteByPrefix(client, `${prefix}:`);
  client.disconnect();
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), USAGE, [], ["--lookahead"]);
  const jobs = options.quick ? 10_000 : 100_000;
  const warmupMs = options.quick ? 4_000 : 8_000;
  const windowMs = options.quick ? 5_000 : 12_000;
  const lookahead = Number(options.values.get("--lookahead") ?? DEFAULT_LOOKAHEAD_MS);
  const print = (line = ""): void => {
    if (!options.json) process.stdout.write(`${line}\n`);
  };
  const unreachable = await reachable();
  if (unreachable !== null) {
    print(`skipped: ${unreachable}`);
    if (options.json) emitResult({ skipped: unreachable });
    return;
  }
  const tag = randomBytes(4).toString("hex");
  const schema = `orchestra_bench_${tag}`;
  const prefix = `orchestra-bench-${tag}`;
  print(`Two schedulers sharing ${formatInt(jobs)} jobs — PostgreSQL schema ${schema}, Redis prefix ${prefix}; lookahead ${lookahead} ms`);
  try {
    const seeded = await seed(schema, jobs, 0);
    // Writing 100k rows takes seconds: the schedules start now, so that nothing is overdue at load.
    const start = Date.now();
    const shift = start + 1_000;
    await shiftSchedules(schema, shift);
    const schedule = new Map([...seeded].map(([name, { anchor, period }]) => [name, { anchor: anchor + shift, period }]));
    const from = start + warmupMs;
    const to = from + windowMs;
    const children = await Promise.all(
      [0, 1].map(() => runChild(["--import", "tsx"], SCRIPT, ["--child", schema, prefix, String(to), String(lookahead)], warmupMs + windowMs + 60_000)),
    );
    const results = children.map((run) => run.result as ChildResult);

    const store = await openPostgresStore(storeUrl(schema));
    const rows = await sql<{ lateness: number | null; outcome: string }>`select lateness, outcome from occurrences where due_at >= ${from} and due_at < ${to}`.execute(store.db);
    const doubled = await sql<{ n: number }>`select count(*)::int as n from (select job_name, due_at from occurrences group by job_name, due_at having count(*) > 1) as twice`.execute(store.db);
    const dispatchedTotal = await sql<{ n: number }>`select count(*)::int as n from occurrences where outcome <> 'missed'`.execute(store.db);
    const unpublished = await sql<{ n: number }>`select count(*)::int as n from bullmq_outbox where published_at is null`.execute(store.db);
    await store.close();
    const queue = new Queue("default", { connection: connectionOf(redisAt(prefix)), prefix });
    const counts = await queue.getJobCounts();
    await queue.close();
    const inRedis = Object.values(counts).reduce((sum, n) => sum + n, 0);

    const lateness: Distribution = distribution(rows.rows.filter((row) => row.lateness !== null).map((row) => Number(row.lateness)));
    const expected = expectedIn(schedule, from, to);
    const lost = Math.max(0, expected - rows.rows.length);
    const missed = rows.rows.filter((row) => row.outcome === "missed").length;
    const ledgerDispatched = dispatchedTotal.rows[0]?.n ?? 0;
    const redisExtra = inRedis - (ledgerDispatched - (unpublished.rows[0]?.n ?? 0));
    const result = {
      jobs,
      lookaheadMs: lookahead,
      windowMs,
      loadMs: results.map((r) => Math.round(r.loadMs)),
      dispatchedBy: results.map((r) => r.dispatchedHere),
      expected,
      recorded: rows.rows.length,
      lost,
      missed,
      doubled: doubled.rows[0]?.n ?? -1,
      redisExtra,
      lateness,
      errors: results.flatMap((r) => r.errors),
    };
    if (options.json) {
      emitResult(result);
      return;
    }
    print();
    print(
      table(
        [
          { header: "jobs", right: true },
          { header: "window", right: true },
          { header: "due in window", right: true },
          { header: "recorded", right: true },
          { header: "lost", right: true },
          { header: "missed", right: true },
          { header: "doubled (ledger / Redis)", right: true },
          { header: "dispatched by A / B (whole run)", right: true },
          { header: "p50", right: true },
          { header: "p99", right: true },
          { header: "max", right: true },
          { header: "load A / B", right: true },
        ],
        [
          [
            formatInt(jobs),
            `${windowMs / 1000} s`,
            formatInt(expected),
            formatInt(result.recorded),
            formatInt(lost),
            formatInt(missed),
            `${formatInt(result.doubled)} / ${formatInt(Math.max(0, redisExtra))}`,
            result.dispatchedBy.map(formatInt).join(" / "),
            formatMs(lateness.p50),
            formatMs(lateness.p99),
            formatMs(lateness.max),
            result.loadMs.map((ms) => `${formatInt(ms)} ms`).join(" / "),
          ],
        ],
      ),
    );
    if (result.errors.length > 0) print(`errors: ${result.errors.join("; ")}`);
    print();
    const checks = [
      checkTarget({ name: `lateness p99, 2 schedulers @ ${formatInt(jobs)} jobs`, measured: lateness.p99, limit: TARGET_P99_MS, atLeast: false, unit: "ms" }),
      checkTarget({ name: "occurrences lost or doubled", measured: lost + Math.max(0, result.doubled) + Math.max(0, redisExtra), limit: 0, atLeast: false, unit: "" }),
    ];
    print(targetTable(checks, (value, unit) => (unit === "ms" ? formatMs(value) : formatInt(value))));
  } finally {
    await cleanUp(schema, prefix);
  }
}

if (process.argv[2] === "--child") await child(process.argv.slice(3));
else await main();
