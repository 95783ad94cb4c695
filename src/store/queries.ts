import type { Kysely } from "kysely";
import type { JobState, RunRow, RunStatus, StoreSchema } from "./schema.ts";

/**
 * Read-only questions the REST API and the metrics ask of the store, beside the repositories that
 * write: each one query, in Kysely so every dialect answers it the same way.
 */
export const storeQueries = {
  /** How many jobs are in each state. */
  async jobStates(db: Kysely<StoreSchema>): Promise<Record<JobState, number>> {
    const rows = await db.selectFrom("jobs").select(["state", (eb) => eb.fn.countAll<number | string | bigint>().as("count")]).groupBy("state").execute();
    const counts: Record<JobState, number> = { running: 0, paused: 0, done: 0 };
    for (const row of rows) counts[row.state] = Number(row.count);
    return counts;
  },

  /** Each tag in use, with how many jobs carry it. */
  async tagCounts(db: Kysely<StoreSchema>): Promise<Map<string, number>> {
    const rows = await db.selectFrom("jobs").select("tags").execute();
    const counts = new Map<string, number>();
    for (const row of rows) {
      for (const tag of new Set(JSON.parse(row.tags) as string[])) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    }
    return counts;
  },

  /** How many runs a job has (of one status, when given). */
  async countRuns(db: Kysely<StoreSchema>, jobName: string, status?: RunStatus): Promise<number> {
    let query = db.selectFrom("runs").select((eb) => eb.fn.countAll<number | string | bigint>().as("count")).where("job_name", "=", jobName);
    if (status !== undefined) query = query.where("status", "=", status);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.count);
  },

  /** One run of a job; undefined when that id is another job's run, or no run at all. */
  async findRun(db: Kysely<StoreSchema>, jobName: string, id: number): Promise<RunRow | undefined> {
    // Ids are read back as JS numbers, so none is beyond 2^53 − 1; PostgreSQL would refuse one past its bigint.
    if (!Number.isSafeInteger(id)) return undefined;
    return db.selectFrom("runs").selectAll().where("id", "=", id).where("job_name", "=", jobName).executeTakeFirst();
  },

  /** Throws when the store cannot answer: the database is unreachable or its tables are missing. */
  async ping(db: Kysely<StoreSchema>): Promise<void> {
    await db.selectFrom("jobs").select("name").limit(1).execute();
  },
};
