import type { Kysely } from "kysely";
import type { DispatchOptions, JobDefinition, MissedPolicy } from "../jobs/definition.ts";
import type { Instant } from "../timing/time.ts";
import type { JobRow, JobState, JobUpdate, StoreSchema } from "./schema.ts";
import { chunksOf } from "../util/chunks.ts";

/** A job as first stored: its definition and its scheduling state. */
export interface NewJob {
  readonly definition: JobDefinition;
  readonly kind: string;
  readonly source: string;
  readonly state: JobState;
  readonly anchor: Instant;
  readonly nextDue: Instant | null;
}

/** A job as the store keeps it: also what its runs did. */
export interface StoredJob extends NewJob {
  readonly attempts: number;
  readonly failedAttempts: number;
  readonly lastRunAt: Instant | null;
  readonly lastRunStatus: string | null;
}

/** Names per `in (…)` list: well under SQLite's and PostgreSQL's limits on bound values. */
const NAMES_PER_QUERY = 500;
/** Jobs per insert: 21 bound values each, under SQLite's 32,766 and PostgreSQL's 65,535. */
const JOBS_PER_INSERT = 1_000;

/**
 * How a row's values become a job's: copied and parsed as they are, or (the scheduler's reader, see
 * scheduler/intern.ts) shared with the other jobs that have the same ones.
 */
export interface RowValues {
  text(value: string): string;
  tags(json: string): readonly string[];
  options(json: string): DispatchOptions;
}

const AS_READ: RowValues = {
  text: (value) => value,
  tags: (json) => JSON.parse(json) as string[],
  options: (json) => JSON.parse(json) as DispatchOptions,
};

export function jobFromRow(row: JobRow, values: RowValues = AS_READ): StoredJob {
  return {
    definition: {
      name: row.name,
      module: values.text(row.module),
      task: values.text(row.task),
      timing: values.text(row.timing),
      timezone: values.text(row.timezone),
      tags: values.tags(row.tags),
      options: values.options(row.options),
      missed: values.text(row.missed) as MissedPolicy,
      maxCatchup: row.max_catchup,
    },
    kind: values.text(row.kind),
    source: values.text(row.source),
    state: row.state,
    anchor: row.anchor,
    nextDue: row.next_due,
    attempts: row.attempts,
    failedAttempts: row.failed_attempts,
    lastRunAt: row.last_run_at,
    lastRunStatus: row.last_run_status,
  };
}

/** The columns that hold a job's definition. */
export function definitionColumns(definition: JobDefinition, kind: string, source: string): JobUpdate {
  return {
    module: definition.module,
    task: definition.task,
    timing: definition.timing,
    timezone: definition.timezone,
    kind,
    tags: JSON.stringify(definition.tags),
    options: JSON.stringify(definition.options),
    missed: definition.missed,
    max_catchup: definition.maxCatchup,
    source,
  };
}

export const jobsRepository = {
  /** Every job; `read` turns rows into jobs (the scheduler's shares common values, see intern.ts). */
  async all(db: Kysely<StoreSchema>, read: (row: JobRow) => StoredJob = jobFromRow): Promise<StoredJob[]> {
    const rows = await db.selectFrom("jobs").selectAll().execute();
    return rows.map((row) => read(row));
  },

  async find(db: Kysely<StoreSchema>, name: string, read: (row: JobRow) => StoredJob = jobFromRow): Promise<StoredJob | undefined> {
    // No job's name holds U+0000 (see jobs/text.ts), and PostgreSQL refuses the query: `GET /api/jobs/a%00b` is a 404.
    if (name.includes("\u0000")) return undefined;
    const row = await db.selectFrom("jobs").selectAll().where("name", "=", name).executeTakeFirst();
    return row === undefined ? undefined : read(row);
  },

  /** The named jobs that exist, a chunk of names per query (a schedule may define thousands at once). */
  async findMany(db: Kysely<StoreSchema>, names: readonly string[], read: (row: JobRow) => StoredJob = jobFromRow): Promise<StoredJob[]> {
    const found: StoredJob[] = [];
    for (const part of chunksOf(names, NAMES_PER_QUERY)) {
      const rows = await db
        .selectFrom("jobs")
        .selectAll()
        .where("name", "in", part)
        .execute();
      for (const row of rows) found.push(read(row));
    }
    return found;
  },

  /** Jobs changed (by any scheduler on this store) after revision `after`. */
  async changedSince(db: Kysely<StoreSchema>, after: number, read: (row: JobRow) => StoredJob = jobFromRow): Promise<StoredJob[]> {
    const rows = await db.selectFrom("jobs").selectAll().where("revision", ">", after).execute();
    return rows.map((row) => read(row));
  },

  async names(db: Kysely<StoreSchema>): Promise<string[]> {
    return (await db.selectFrom("jobs").select("name").execute()).map((row) => row.name);
  },

  async count(db: Kysely<StoreSchema>): Promise<number> {
    const row = await db.selectFrom("jobs").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    return row.n;
  },

  async insert(db: Kysely<StoreSchema>, job: NewJob, now: Instant, revision = 0): Promise<void> {
    await jobsRepository.insertMany(db, [job], now, revision);
  },

  /** New jobs, a chunk per statement (a schedule file may declare thousands at once). */
  async insertMany(db: Kysely<StoreSchema>, jobs: readonly NewJob[], now: Instant, revision = 0): Promise<void> {
    for (const part of chunksOf(jobs, JOBS_PER_INSERT)) {
      await db
        .insertInto("jobs")
        .values(
          part.map((job) => ({
            name: job.definition.name,
            module: job.definition.module,
            task: job.definition.task,
            timing: job.definition.timing,
            timezone: job.definition.timezone,
            kind: job.kind,
            tags: JSON.stringify(job.definition.tags),
            options: JSON.stringify(job.definition.options),
            missed: job.definition.missed,
            max_catchup: job.definition.maxCatchup,
            source: job.source,
            state: job.state,
            anchor: job.anchor,
            next_due: job.nextDue,
            attempts: 0,
            failed_attempts: 0,
            last_run_at: null,
            last_run_status: null,
            created_at: now,
            updated_at: now,
            revision,
          })),
        )
        .execute();
    }
  },

  async update(db: Kysely<StoreSchema>, name: string, changes: JobUpdate, now: Instant): Promise<boolean> {
    const result = await db
      .updateTable("jobs")
      .set({ ...changes, updated_at: now })
      .where("name", "=", name)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  async delete(db: Kysely<StoreSchema>, name: string): Promise<boolean> {
    const result = await db.deleteFrom("jobs").where("name", "=", name).executeTakeFirst();
    return result.numDeletedRows > 0n;
  },
};
