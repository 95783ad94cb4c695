import type { Generated, Selectable, Updateable } from "kysely";

/**
 * The store's tables. Instants are epoch milliseconds (INTEGER in SQLite, BIGINT in PostgreSQL);
 * JSON values are TEXT so both dialects read them the same way.
 */
export interface StoreSchema {
  jobs: JobsTable;
  occurrences: OccurrencesTable;
  runs: RunsTable;
  store_revision: StoreRevisionTable;
  store_identity: StoreIdentityTable;
}

/** One row (id 1): the number of the latest change to any job's definition or state. */
export interface StoreRevisionTable {
  id: number;
  n: number;
}

/** One row (id 1): the store's identity, a random UUID drawn when it was made (see migration 0003). */
export interface StoreIdentityTable {
  id: number;
  value: string;
}

export type JobState = "running" | "paused" | "done";

export interface JobsTable {
  name: string;
  module: string;
  task: string;
  timing: string;
  timezone: string;
  kind: string;
  /** JSON array of strings. */
  tags: string;
  /** JSON object: DispatchOptions. */
  options: string;
  missed: string;
  max_catchup: number;
  /** Where the job was declared: file, api or code. */
  source: string;
  state: JobState;
  /** The instant the schedule started: intervals count from it. */
  anchor: number;
  next_due: number | null;
  attempts: number;
  failed_attempts: number;
  last_run_at: number | null;
  last_run_status: string | null;
  created_at: number;
  updated_at: number;
  /** The store revision of the job's last change of definition or state (not of its dispatches). */
  revision: Generated<number>;
}

/** Why an occurrence exists. `schedule` ones are unique per (job, due instant): the exactly-once key. */
export type OccurrenceOrigin = "schedule" | "manual";

/** What happened to an occurrence: dispatched on time or as a catch-up, or missed (not run). */
export type OccurrenceOutcome = "dispatched" | "catch-up" | "missed";

export interface OccurrencesTable {
  id: Generated<number>;
  job_name: string;
  due_at: number;
  origin: OccurrenceOrigin;
  outcome: OccurrenceOutcome;
  /** Why it was missed or caught up, in words. */
  reason: string | null;
  dispatched_at: number | null;
  /** dispatched_at − due_at, ms. */
  lateness: number | null;
}

export type RunStatus = "pending" | "started" | "success" | "failure" | "retry" | "expired" | "missed";

export const RUN_STATUSES: readonly RunStatus[] = ["pending", "started", "success", "failure", "retry", "expired", "missed"];

export interface RunsTable {
  id: Generated<number>;
  occurrence_id: number;
  job_name: string;
  attempt: number;
  status: RunStatus;
  queue: string;
  worker_id: string | null;
  enqueued_at: number;
  started_at: number | null;
  finished_at: number | null;
  /** JSON of the task's return value. */
  result: string | null;
  error: string | null;
  error_stack: string | null;
}

export type JobRow = Selectable<JobsTable>;
export type JobUpdate = Updateable<JobsTable>;
export type OccurrenceRow = Selectable<OccurrencesTable>;
export type RunRow = Selectable<RunsTable>;
