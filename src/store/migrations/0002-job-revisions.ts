import type { Kysely, Migration } from "kysely";

/**
 * Lets schedulers sharing a store see each other's changes (pause, resume, add, update, delete): each
 * change takes the next number of a store-wide counter and stamps the job with it, so a scheduler
 * reads only the jobs stamped after the last number it saw. Dispatches do not count: every scheduler
 * computes the same next due instants, and the occurrence ledger keeps their dispatches single.
 */
export const jobRevisions: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable("jobs").addColumn("revision", "bigint", (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.createIndex("jobs_by_revision").on("jobs").column("revision").execute();
    await db.schema
      .createTable("store_revision")
      .addColumn("id", "integer", (c) => c.primaryKey())
      .addColumn("n", "bigint", (c) => c.notNull())
      .execute();
    await (db as Kysely<{ store_revision: { id: number; n: number } }>).insertInto("store_revision").values({ id: 1, n: 0 }).execute();
  },
};
