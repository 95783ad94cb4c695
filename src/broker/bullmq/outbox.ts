import { sql, type Kysely, type Migration, type RawBuilder } from "kysely";
import { setTimeout as sleep } from "node:timers/promises";
import { JSON_ROWS_CHUNK, jsonRows } from "../../store/json-rows.ts";
import { migrateToLatest } from "../../store/migrate.ts";
import type { StoreSchema } from "../../store/schema.ts";
import { chunksOf } from "../../util/chunks.ts";

/**
 * The transactional outbox: BullMQ cannot join the store's transaction, so the scheduler writes what is
 * to be published here, in the transaction that records the occurrence, and the publisher sends it
 * after the commit and marks it published. A row stays until the occurrence's run has finished (the
 * worker deletes it in the transaction that records the end): Redis may lose a job (a restart without
 * persistence, a flush), so a row published a while ago is sent again, which the BullMQ job id makes
 * a no-op while Redis still holds the job.
 */
export interface OutboxSchema {
  bullmq_outbox: OutboxTable;
}

export interface OutboxTable {
  /**
   * The BullMQ job id: the occurrence's key, so a second add of it is a no-op. Also the table's key:
   * no generated id, whose declaration differs between SQLite and PostgreSQL.
   */
  job_id: string;
  queue: string;
  /** Orchestra's priority, higher first. */
  priority: number;
  /** BullMQ's priority for the job (bullmqRankOf); null: unprioritised. */
  rank: number | null;
  available_at: number;
  /** JSON TaskMessage. */
  payload: string;
  created_at: number;
  /** When it was last sent to Redis; null = not yet. */
  published_at: number | null;
}

export type OutboxRow = Readonly<OutboxTable>;

/** Own migration ledger (like the embedded queue's): the table exists only where a BullMQ broker is used. */
export const outboxMigrations: Record<string, Migration> = {
  "0001-outbox": {
    async up(db: Kysely<unknown>): Promise<void> {
      // Plain column types, no dialect-only SQL: the store may be SQLite or PostgreSQL.
      await db.schema
        .createTable("bullmq_outbox")
        .addColumn("job_id", "text", (c) => c.primaryKey())
        .addColumn("queue", "text", (c) => c.notNull())
        .addColumn("priority", "integer", (c) => c.notNull())
        .addColumn("available_at", "bigint", (c) => c.notNull())
        .addColumn("payload", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("published_at", "bigint")
        .execute();
      await db.schema.createIndex("bullmq_outbox_published").on("bullmq_outbox").columns(["published_at", "created_at"]).execute();
    },
  },
  "0002-rank": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("bullmq_outbox").addColumn("rank", "integer").execute();
      // Rows written before: ranked as every job then was (bullmqRankOf with a higher priority on the queue).
      await sql`update bullmq_outbox set rank = case when 1048576 - priority < 1 then 1 when 1048576 - priority > 2097151 then 2097151 else 1048576 - priority end`.execute(db);
    },
  },
};

/**
 * Creates the outbox in a store. A scheduler and a worker often start together on a store that has no
 * outbox yet: both may try to create it, and the loser fails on the existing table. Its next try finds
 * the migration done (each one commits as a whole), so a failure is tried again before it is reported.
 * `schema`: the PostgreSQL store's (Store.schema), or the ledger of a store in another schema of the
 * database would be taken for this one's.
 */
export async function migrateOutbox(db: Kysely<StoreSchema>, schema?: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateToLatest(db as Kysely<unknown>, outboxMigrations, "bullmq_outbox", schema);
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await sleep(50 * attempt + Math.random() * 50);
    }
  }
}

/** The outbox lives in the store's database: the same handle (and transaction) serves both. */
function outboxDb(db: Kysely<StoreSchema>): Kysely<OutboxSchema> {
  return db as unknown as Kysely<OutboxSchema>;
}

/** Rows per statement: 8 bound values each, well under SQLite's and PostgreSQL's limits. */
const CHUNK = 1000;

export const outbox = {
  async add(tx: Kysely<StoreSchema>, rows: readonly Omit<OutboxRow, "published_at">[]): Promise<void> {
    for (const part of chunksOf(rows, CHUNK)) {
      await outboxDb(tx)
        .insertInto("bullmq_outbox")
        .values(part.map((row) => ({ ...row, published_at: null })))
        .execute();
    }
  },

  /** The oldest `max` rows never published. */
  async unpublished(db: Kysely<StoreSchema>, max: number): Promise<OutboxRow[]> {
    return outboxDb(db).selectFrom("bullmq_outbox").selectAll().where("published_at", "is", null).orderBy("created_at").orderBy("job_id").limit(max).execute();
  },

  /** Up to `max` rows last published before `before` whose run has not finished yet. */
  async publishedBefore(db: Kysely<StoreSchema>, before: number, max: number): Promise<OutboxRow[]> {
    return outboxDb(db)
      .selectFrom("bullmq_outbox")
      .selectAll()
      .where("published_at", "<", before)
      .orderBy("published_at")
      .orderBy("job_id")
      .limit(max)
      .execute();
  },

  async markPublished(db: Kysely<StoreSchema>, jobIds: readonly string[], at: number): Promise<void> {
    for (const part of chunksOf(jobIds, JSON_ROWS_CHUNK)) {
      await sql`update bullmq_outbox set published_at = ${at} where job_id in (select job_id from ${jobIdRows(db, part)} as ids)`.execute(db);
    }
  },

  /** The occurrences' runs finished: Redis need not hold their jobs any more. */
  async removeAll(db: Kysely<StoreSchema>, jobIds: readonly string[]): Promise<void> {
    for (const part of chunksOf(jobIds, JSON_ROWS_CHUNK)) {
      await sql`delete from bullmq_outbox where job_id in (select job_id from ${jobIdRows(db, part)} as ids)`.execute(db);
    }
  },

  async unpublishedCount(db: Kysely<StoreSchema>): Promise<number> {
    const row = await outboxDb(db)
      .selectFrom("bullmq_outbox")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("published_at", "is", null)
      .executeTakeFirstOrThrow();
    return Number(row.n); // PostgreSQL counts in bigint, which arrives as text
  },
};

/** Job ids as one JSON parameter (a worker removes a few hundred at once: one statement text for any number). */
function jobIdRows(db: Kysely<StoreSchema>, jobIds: readonly string[]): RawBuilder<unknown> {
  return jsonRows(db, [["job_id", "text"]], jobIds.map((id) => [id]));
}
