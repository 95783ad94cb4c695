import type { Kysely } from "kysely";
import type { Instant } from "../timing/time.ts";
import type { RunRow, RunStatus, StoreSchema } from "./schema.ts";

/** The start of one attempt, as a worker records it when it claims the message. */
export interface RunStart {
  readonly occurrenceId: number;
  readonly jobName: string;
  readonly attempt: number;
  readonly queue: string;
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
          enqueued_at: now,
          started_at: now,
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
    // A redelivered message's previous attempt never finished: its worker died or lost the lease.
    for (const start of starts) {
      if (start.attempt <= 1) continue;
      await db
        .updateTable("runs")
        .set({ status: "retry", finished_at: now, error: "interrupted: its worker stopped responding (lease expired); delivered again" })
        .where("occurrence_id", "=", start.occurrenceId)
        .where("attempt", "=", start.attempt - 1)
        .where("status", "=", "started")
        .execute();
    }
    const ids = new Map(rows.map((row) => [`${row.occurrence_id}:${row.attempt}`, row.id]));
    return starts.map((start) => ids.get(`${start.occurrenceId}:${start.attempt}`) ?? -1);
  },

  /** Records how attempts ended, and each job's last run and failure count. */
  async finish(db: Kysely<StoreSchema>, ends: readonly RunEnd[], now: Instant): Promise<void> {
    for (const end of ends) {
      await db
        .updateTable("runs")
        .set({ status: end.status, finished_at: now, result: end.result, error: end.error, error_stack: end.errorStack })
        .where("id", "=", end.runId)
        .execute();
      await db
        .updateTable("jobs")
        .set((eb) => ({
          last_run_at: now,
          last_run_status: end.status,
          failed_attempts: end.status === "failure" || end.status === "retry" ? eb("failed_attempts", "+", 1) : eb.ref("failed_attempts"),
        }))
        .where("name", "=", end.jobName)
        .execute();
    }
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
