/**
 * The job mixes every system is given, and the exactly-once check of what each dispatched. A job is
 * a 6-field cron pattern in UTC whose instants are `k × period + offset` (epoch seconds), so every
 * system (Orchestra cron, BullMQ `pattern`, Celery beat's aligned schedule) gets the same instants.
 */

export type MixName = "staggered" | "herd";

export interface BenchJob {
  /** 6-field cron (seconds first), UTC. */
  readonly pattern: string;
  readonly periodS: number;
  readonly offsetS: number;
}

/**
 * staggered: 1 job in 100 every second, the others every minute at second `i mod 60` (about 2.6
 * dispatches per second per 100 jobs). herd: every job once an hour at the same second `herdAt`.
 */
export function mixJobs(mix: MixName, n: number, herdAtMs = 0): BenchJob[] {
  if (mix === "herd") {
    const second = Math.floor(herdAtMs / 1000) % 3600;
    const pattern = `${second % 60} ${Math.floor(second / 60)} * * * *`;
    return Array.from({ length: n }, () => ({ pattern, periodS: 3600, offsetS: second }));
  }
  return Array.from({ length: n }, (_, i) =>
    i % 100 === 0 ? { pattern: "* * * * * *", periodS: 1, offsetS: 0 } : { pattern: `${i % 60} * * * * *`, periodS: 60, offsetS: i % 60 },
  );
}

/** The job's latest nominal instant at or before `atMs` (ms). */
export function latestDue(job: BenchJob, atMs: number): number {
  const k = Math.floor((atMs / 1000 - job.offsetS) / job.periodS);
  return (k * job.periodS + job.offsetS) * 1000;
}

/** One dispatch as a system reported it: which job, its nominal due instant, when it became visible (ms). */
export interface Observation {
  readonly job: number;
  readonly dueMs: number;
  readonly atMs: number;
}

export interface Percentiles {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const count = sorted.length;
  const rank = (p: number): number => (count === 0 ? NaN : (sorted[Math.min(count - 1, Math.max(0, Math.ceil(p * count) - 1))] ?? NaN));
  return { count, p50: rank(0.5), p99: rank(0.99), p999: rank(0.999), max: count === 0 ? NaN : (sorted[count - 1] ?? NaN) };
}

export interface Check {
  readonly expected: number;
  /** Expected occurrences dispatched at least once. */
  readonly dispatched: number;
  readonly lost: number;
  /** Dispatches beyond the first of an expected occurrence. */
  readonly duplicated: number;
  /** Dispatches in the window for an instant that is not one of the job's. */
  readonly unexpected: number;
  /** Visible − due, ms, per first dispatch; a message sent ahead counts 0 (runnable at its due instant). */
  readonly lateness: Percentiles;
  /** Last first-dispatch − window start (the herd's drain), ms. */
  readonly lastMs: number;
}

/** Compares the (job, due) pairs dispatched with due in [fromMs, toMs) against the expected set. */
export function check(jobs: readonly BenchJob[], observations: readonly Observation[], fromMs: number, toMs: number): Check {
  const seen = new Map<string, number>();
  const late: number[] = [];
  let unexpected = 0;
  let last = NaN;
  for (const o of observations) {
    if (o.dueMs < fromMs || o.dueMs >= toMs) continue;
    const job = jobs[o.job];
    if (job === undefined || latestDue(job, o.dueMs) !== o.dueMs) {
      unexpected++;
      continue;
    }
    const key = `${o.job}@${o.dueMs}`;
    const times = seen.get(key) ?? 0;
    seen.set(key, times + 1);
    if (times === 0) {
      late.push(Math.max(0, o.atMs - o.dueMs));
      if (!(o.atMs - fromMs <= last)) last = o.atMs - fromMs;
    }
  }
  let expected = 0;
  let dispatched = 0;
  let duplicated = 0;
  jobs.forEach((job, i) => {
    for (let due = latestDue(job, fromMs - 1) + job.periodS * 1000; due < toMs; due += job.periodS * 1000) {
      expected++;
      const times = seen.get(`${i}@${due}`) ?? 0;
      if (times > 0) dispatched++;
      duplicated += Math.max(0, times - 1);
    }
  });
  return { expected, dispatched, lost: expected - dispatched, duplicated, unexpected, lateness: percentiles(late), lastMs: last };
}
