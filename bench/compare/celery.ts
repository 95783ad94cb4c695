/**
 * Celery beat (Debian's python3-celery, default PersistentScheduler) with a Redis broker: the jobs
 * are written as a beat_schedule (celery_app.py), `/usr/bin/python3 -m celery -A celery_app beat`
 * runs in its own process, and its messages are taken off the queue's Redis list (kombu LPUSHes
 * each message) every 2 ms. Dispatched = the poll that first saw the message (error ≤ 2 ms + a
 * round trip). A beat message carries no due instant: due = the job's latest instant at or before
 * that poll, so a message more than a period late (1 s for every-second jobs) is counted against
 * a later instant (a lost occurrence and, if that one is sent too, a duplicate).
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { terminate } from "../fixtures/support.ts";
import { latestDue, mixJobs, type Observation } from "./mix.ts";
import { herdInstant, observeWindow, rssOf, type LatenessArgs, type LatenessResult } from "./protocol.ts";
import { connect, deleteByPrefix, REDIS_URL } from "./redis.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
export const PYTHON = "/usr/bin/python3";

/** Celery's version, or why it cannot run. */
export function celeryAvailable(): { ok: true; version: string } | { ok: false; reason: string } {
  const probe = spawnSync(PYTHON, ["-c", "import celery, redis; print(celery.__version__)"], { encoding: "utf8" });
  if (probe.error !== undefined) return { ok: false, reason: `not installed (${probe.error.message})` };
  if (probe.status !== 0) return { ok: false, reason: `not installed (${probe.stderr.trim().split("\n").at(-1) ?? ""})` };
  return { ok: true, version: probe.stdout.trim() };
}

export async function celeryLateness(args: LatenessArgs): Promise<LatenessResult> {
  const herdAtMs = args.mix === "herd" ? herdInstant(args.leadMs) : 0;
  const jobs = mixJobs(args.mix, args.jobs, herdAtMs);
  const queueName = `obench-celery-${process.pid}-${Date.now()}`;
  const notes: string[] = [];
  const setupStarted = performance.now();
  const scheduleFile = join(args.dir, "schedule.json");
  writeFileSync(scheduleFile, JSON.stringify({ broker: `${REDIS_URL}/0`, queue: queueName, jobs: jobs.map((j) => [j.periodS, j.offsetS]) }));
  const setupMs = performance.now() - setupStarted;

  const redis = connect();
  const observations: Observation[] = [];
  let firstAt = NaN;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const replies = await redis.multi().lrange(queueName, 0, -1).del(queueName).exec();
      const atMs = Date.now();
      const messages = (replies?.[0]?.[1] ?? []) as string[];
      for (const raw of messages) {
        if (Number.isNaN(firstAt)) firstAt = performance.now();
        const headers = (JSON.parse(raw) as { headers?: { argsrepr?: string } }).headers;
        const job = Number(/\d+/.exec(headers?.argsrepr ?? "")?.[0] ?? NaN);
        const spec = jobs[job];
        if (spec !== undefined) observations.push({ job, dueMs: latestDue(spec, atMs), atMs });
      }
      await sleep(2);
    }
  })();

  const started = performance.now();
  const beat = spawn(
    PYTHON,
    ["-m", "celery", "-A", "celery_app", "beat", "--schedule", join(args.dir, "beat-schedule"), "--pidfile=", "--loglevel", "WARNING"],
    { cwd: HERE, env: { ...process.env, BENCH_SCHEDULE: scheduleFile, PYTHONPATH: HERE }, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  beat.stderr.setEncoding("utf8");
  beat.stderr.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  try {
    const window = await observeWindow(args, jobs, observations, herdAtMs);
    const memoryBytes = await rssOf(beat.pid ?? -1);
    if (beat.exitCode !== null) notes.push(`beat exited (${beat.exitCode}): ${stderr.trim().split("\n").at(-1) ?? ""}`);
    if (args.mix === "herd" && Number.isNaN(firstAt)) notes.push("beat dispatched nothing before the drain limit");
    await terminate(beat, 5000);
    const shelve = readdirSync(args.dir)
      .filter((f) => f.startsWith("beat-schedule"))
      .reduce((sum, f) => sum + statSync(join(args.dir, f)).size, 0);
    return {
      system: "celery",
      mix: args.mix,
      jobs: args.jobs,
      setupMs,
      startToFirstMs: firstAt - started,
      storeBytesPerJob: shelve / args.jobs,
      memoryBytes,
      ...window,
      notes,
    };
  } finally {
    await terminate(beat, 2000);
    polling = false;
    await poller;
    await deleteByPrefix(redis, queueName);
    await deleteByPrefix(redis, `_kombu.binding.${queueName}`);
    redis.disconnect();
  }
}
