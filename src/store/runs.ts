import { sql, type Kysely } from "kysely";
import type { Instant } from "../timing/time.ts";
import { JSON_ROWS_CHUNK, jsonRows, type JsonColumn } from "./json-rows.ts";
import type { RunRow, RunStatus, StoreSchema } from "./schema.ts";
import { chunksOf } from "../util/chunks.ts";

/** The start of one attempt, as a worker records it when it claims the message. */
export interface RunStart {
  readonly occurrenceId: number;
  readonly jobName: string;
  readonly attempt: number;
  readonly queue: string;
  /**
   * When it started, if not at the write (`now`): a worker that writes behind its tasks. Also its
   * enqueued instant: a retry or a redelivery has no row before it starts.
   */
  readonly startedAt?: Instant;
}

/** How an attempt ended. */
export interface RunEnd {
  readonly runId: number;
  readonly jobName: string;
  readonly status: Extract<RunStatus, "success" | "failure" | "retry" | "expired">;
  /** JSON text of the task's return value. */
  readonly result: string | null;
  readonly error: string | null;
  readonly errorStack: string | null;
  /** Ended by its worker's stop, not by the task (see interruptedEnd): not a failed attempt of the job. */
  readonly interrupted?: boolean;
}

/**
 * The end of an attempt whose worker stopped before the task finished: another attempt follows, but the
 * task did not fail, so the job's failure count is left alone (as for an attempt whose worker died).
 */
export function interruptedEnd(runId: number, jobName: string): RunEnd {
  return { runId, jobName, status: "retry", result: null, error: "interrupted: the worker stopped before the task finished", errorStack: null, interrupted: true };
}

/**
 * The set-based updates here join a table with the batch's rows, given as one JSON parameter (see
 * jsonRows), in a CTE.
 */
const ENDED: readonly JsonColumn[] = [
  ["id", "bigint"],
  ["status", "text"],
  ["result", "text"],
  ["error", "text"],
  ["error_stack", "text"],
];
const RECORDED: readonly JsonColumn[] = [...ENDED, ["started_at", "bigint"], ["finished_at", "bigint"], ["occurrence_id", "bigint"]];
const BEGAN: readonly JsonColumn[] = [
  ["id", "bigint"],
  ["started_at", "bigint"],
];
const JOB_ENDS: readonly JsonColumn[] = [
  ["name", "text"],
  ["status", "text"],
  ["at", "bigint"],
  ["failed", "bigint"],
];
/** Occurrence ids per `in (…)` list. */
const LOOKUP_CHUNK = 500;

/** A whole attempt, written once it ended. */
export interface RunRecord extends RunEnd {
  /** Checked with the run id: a worker given another store than its scheduler's must not write over that store's runs. */
  readonly occurrenceId: number;
  readonly startedAt: Instant;
  readonly finishedAt: Instant;
}

/** An occurrence's latest attempt as the store has it. */
export interface LatestAttempt {
  readonly runId: number;
  readonly attempt: number;
  readonly status: RunStatus;
}

export const runsRepository = {
  /**
   * Marks attempts started; the first attempt's row exists since dispatch (pending), a retry's or a
   * redelivery's is created here. Returns each attempt's run id, in the order given.
   */
  async start(db: Kysely<StoreSchema>, starts: readonly RunStart[], workerId: string, now: Instant): Promise<number[]> {
    if (starts.length === 0) return [];
    const rows = await db
      .insertInto("runs")
      .values(
        starts.map((start) => ({
          occurrence_id: start.occurrenceId,
          job_name: start.jobName,
          attempt: start.attempt,
          status: "started" as const,
          queue: start.queue,
          worker_id: workerId,
          enqueued_at: start.startedAt ?? now,
          started_at: start.startedAt ?? now,
          finished_at: null,
          result: null,
          error: null,
          error_stack: null,
        })),
      )
      .onConflict((conflict) =>
        conflict.columns(["occurrence_id", "attempt"]).doUpdateSet((eb) => ({
          status: "started",
          worker_id: eb.ref("excluded.worker_id"),
          started_at: eb.ref("excluded.started_at"),
        })),
      )
      .returning(["id", "occurrence_id", "attempt"])
      .execute();
    // A redelivered message's previous attempt never finished: its worker died or lost the lease (before
    // it recorded the start, if the worker writes starts late: then the row is still pending).
    for (const start of starts) {
      if (start.attempt <= 1) continue;
      await db
        .updateTable("runs")
        .set({ status: "retry", finished_at: now, error: "interrupted: its worker stopped responding (lease expired); delivered again" })
        .where("occurrence_id", "=", start.occurrenceId)
        .where("attempt", "=", start.attempt - 1)
        .where("status", "in", ["pending", "started"])
        .execute();
    }
    const ids = new Map(rows.map((row) => [`${row.occurrence_id}:${row.attempt}`, row.id]));
    return starts.map((start) => ids.get(`${start.occurrenceId}:${start.attempt}`) ?? -1);
  },

  /**
   * Records how attempts ended, and each job's last run and failure count: two statements for the whole
   * batch (a worker writes everything that ended since its last write at once).
   */
  async finish(db: Kysely<StoreSchema>, ends: readonly RunEnd[], now: Instant): Promise<void> {
    if (ends.length === 0) return;
    for (const part of chunksOf(ends, JSON_ROWS_CHUNK)) {
      const ended = jsonRows(db, ENDED, part.map((end) => [end.runId, end.status, end.result, end.error, end.errorStack]));
      await sql`with ended as ${ended}
        update runs set status = ended.status, finished_at = ${now}, result = ended.result, error = ended.error, error_stack = ended.error_stack
        from ended where runs.id = ended.id`.execute(db);
    }
    await recordJobEnds(
      db,
      ends.map((end) => ({ ...end, finishedAt: now })),
    );
  },

  /**
   * Marks attempts started whose row dispatch wrote (pending): for tasks still running when a worker
   * writes its batch (one that ended by then is written once, by `record`).
   */
  async markStarted(db: Kysely<StoreSchema>, starts: readonly { readonly runId: number; readonly startedAt: Instant }[], workerId: string): Promise<void> {
    for (const part of chunksOf(starts, JSON_ROWS_CHUNK)) {
      const began = jsonRows(db, BEGAN, part.map((s) => [s.runId, s.startedAt]));
      await sql`with began as ${began}
        update runs set status = 'started', worker_id = ${workerId}, started_at = began.started_at
        from began where runs.id = began.id and runs.status = 'pending'`.execute(db);
    }
  },

  /**
   * Records whole attempts, start and end, each with its own instants (a worker writes the attempts of a
   * while at once, after they ended), and each job's last run and failure count. A run that has ended
   * already is left as it is: returns the ids of the runs written.
   */
  async record(db: Kysely<StoreSchema>, records: readonly RunRecord[], workerId: string): Promise<number[]> {
    if (records.length === 0) return [];
    const written: number[] = [];
    for (const part of chunksOf(records, JSON_ROWS_CHUNK)) {
      const rows = part.map((r) => [r.runId, r.status, r.result, r.error, r.errorStack, r.startedAt, r.finishedAt, r.occurrenceId]);
      const result = await sql<{ id: number | string }>`with ended as ${jsonRows(db, RECORDED, rows)}
        update runs set status = ended.status, worker_id = ${workerId}, started_at = ended.started_at, finished_at = ended.finished_at,
          result = ended.result, error = ended.error, error_stack = ended.error_stack
        from ended where runs.id = ended.id and runs.occurrence_id = ended.occurrence_id and runs.status in ('pending', 'started')
        returning runs.id`.execute(db);
      for (const row of result.rows) written.push(Number(row.id));
    }
    const writtenIds = new Set(written);
    await recordJobEnds(
      db,
      records.filter((record) => writtenIds.has(record.runId)),
    );
    return written;
  },

  /** Each occurrence's latest attempt (the pending run dispatch wrote, at least), by occurrence id. */
  async latestAttempts(db: Kysely<StoreSchema>, occurrenceIds: readonly number[]): Promise<Map<number, LatestAttempt>> {
    const latest = new Map<number, LatestAttempt>();
    for (const part of chunksOf(occurrenceIds, LOOKUP_CHUNK)) {
      const rows = await db
        .selectFrom("runs")
        .select(["id", "occurrence_id", "attempt", "status"])
        .where("occurrence_id", "in", part)
        .execute();
      for (const row of rows) {
        const seen = latest.get(row.occurrence_id);
        if (seen === undefined || row.attempt > seen.attempt) latest.set(row.occurrence_id, { runId: row.id, attempt: row.attempt, status: row.status });
      }
    }
    return latest;
  },

  /** A job's runs, newest first, a page at a time. */
  async page(
    db: Kysely<StoreSchema>,
    jobName: string,
    options: { readonly page: number; readonly pageSize: number; readonly status?: RunStatus | undefined },
  ): Promise<RunRow[]> {
    let query = db.selectFrom("runs").selectAll().where("job_name", "=", jobName);
    if (options.status !== undefined) query = query.where("status", "=", options.status);
    return query
      .orderBy("id", "desc")
      .limit(options.pageSize)
      .offset(Math.max(0, options.page - 1) * options.pageSize)
      .execute();
  },

  async find(db: Kysely<StoreSchema>, id: number): Promise<RunRow | undefined> {
    return db.selectFrom("runs").selectAll().where("id", "=", id).executeTakeFirst();
  },
};

/**
 * Each job's last run (the one that ended last: writers may write ends out of order) and failure count
 * after the given attempts ended: one statement per chunk of jobs.
 */
async function recordJobEnds(db: Kysely<StoreSchema>, ends: readonly (RunEnd & { readonly finishedAt: Instant })[]): Promise<void> {
  const byJob = new Map<string, { status: string; at: Instant; failed: number }>();
  for (const end of ends) {
    const failed = end.status === "failure" || (end.status === "retry" && end.interrupted !== true) ? 1 : 0;
    const seen = byJob.get(end.jobName);
    // One object per job, updated in place: a batch holds hundreds of ends of a few jobs.
    if (seen === undefined) byJob.set(end.jobName, { status: end.status, at: end.finishedAt, failed });
    else {
      if (end.finishedAt >= seen.at) {
        seen.status = end.status;
        seen.at = end.finishedAt;
      }
      seen.failed += failed;
    }
  }
  const jobs = [...byJob].map(([name, job]) => [name, job.status, job.at, job.failed]);
  for (const part of chunksOf(jobs, JSON_ROWS_CHUNK)) {
    await sql`with ended as ${jsonRows(db, JOB_ENDS, part)}
      update jobs set
        last_run_status = case when jobs.last_run_at is null or jobs.last_run_at <= ended.at then ended.status else jobs.last_run_status end,
        last_run_at = case when jobs.last_run_at is null or jobs.last_run_at <= ended.at then ended.at else jobs.last_run_at end,
        failed_attempts = failed_attempts + ended.failed
      from ended where jobs.name = ended.name`.execute(db);
  }
}
