import type { Kysely, Migration } from "kysely";
import type { StoreDialect } from "../store.ts";
import { dialectColumns } from "./columns.ts";

/**
 * Jobs, their occurrence ledger and their runs. Column types that both SQLite and PostgreSQL accept,
 * but for row ids (see columns.ts): on SQLite this emits exactly the DDL of the first release.
 */
export function initial(dialect: StoreDialect): Migration {
  const columns = dialectColumns(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("jobs")
        .addColumn("name", "text", (c) => c.primaryKey())
        .addColumn("module", "text", (c) => c.notNull())
        .addColumn("task", "text", (c) => c.notNull())
        .addColumn("timing", "text", (c) => c.notNull())
        .addColumn("timezone", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("tags", "text", (c) => c.notNull())
        .addColumn("options", "text", (c) => c.notNull())
        .addColumn("missed", "text", (c) => c.notNull())
        .addColumn("max_catchup", "integer", (c) => c.notNull())
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("anchor", "bigint", (c) => c.notNull())
        .addColumn("next_due", "bigint")
        .addColumn("attempts", "integer", (c) => c.notNull())
        .addColumn("failed_attempts", "integer", (c) => c.notNull())
        .addColumn("last_run_at", "bigint")
        .addColumn("last_run_status", "text")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();

      await columns
        .id(db.schema.createTable("occurrences"))
        .addColumn("job_name", "text", (c) => c.notNull())
        .addColumn("due_at", "bigint", (c) => c.notNull())
        .addColumn("origin", "text", (c) => c.notNull())
        .addColumn("outcome", "text", (c) => c.notNull())
        .addColumn("reason", "text")
        .addColumn("dispatched_at", "bigint")
        .addColumn("lateness", "bigint")
        .addUniqueConstraint("occurrences_once", ["job_name", "due_at", "origin"])
        .execute();

      await columns
        .id(db.schema.createTable("runs"))
        .addColumn("occurrence_id", columns.idRef, (c) => c.notNull())
        .addColumn("job_name", "text", (c) => c.notNull())
        .addColumn("attempt", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("queue", "text", (c) => c.notNull())
        .addColumn("worker_id", "text")
        .addColumn("enqueued_at", "bigint", (c) => c.notNull())
        .addColumn("started_at", "bigint")
        .addColumn("finished_at", "bigint")
        .addColumn("result", "text")
        .addColumn("error", "text")
        .addColumn("error_stack", "text")
        .execute();
      await db.schema.createIndex("runs_by_job").on("runs").columns(["job_name", "id"]).execute();
      // One run per attempt of an occurrence: a worker that starts attempt n upserts it.
      await db.schema.createIndex("runs_attempt").on("runs").columns(["occurrence_id", "attempt"]).unique().execute();
    },
  };
}
