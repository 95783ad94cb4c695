import type { Generated, Kysely, Migration } from "kysely";

/** The embedded queue's one table, in the same SQLite file as the store so dispatch is one transaction. */
export interface QueueSchema {
  queue_messages: QueueMessagesTable;
}

export interface QueueMessagesTable {
  id: Generated<number>;
  queue: string;
  priority: number;
  /** JSON TaskMessage. */
  payload: string;
  available_at: number;
  /** Attempts started so far; the next claim is attempt + 1. */
  attempt: number;
  lease_owner: string | null;
  /** The holder's lease ends here; 0 when nobody holds the message. */
  lease_until: number;
  created_at: number;
}

export const queueMigrations: Record<string, Migration> = {
  "0001-queue": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("queue_messages")
        .addColumn("id", "integer", (c) => c.primaryKey()) // SQLite: an alias of the rowid, no AUTOINCREMENT table
        .addColumn("queue", "text", (c) => c.notNull())
        .addColumn("priority", "integer", (c) => c.notNull())
        .addColumn("payload", "text", (c) => c.notNull())
        .addColumn("available_at", "integer", (c) => c.notNull())
        .addColumn("attempt", "integer", (c) => c.notNull())
        .addColumn("lease_owner", "text")
        .addColumn("lease_until", "integer", (c) => c.notNull())
        .addColumn("created_at", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("queue_messages_ready")
        .on("queue_messages")
        .columns(["queue", "priority", "available_at"])
        .execute();
    },
  },
  "0002-claim-order-index": {
    async up(db: Kysely<unknown>): Promise<void> {
      // A claim reads a queue highest priority first, then oldest: an index in exactly that order lets
      // SQLite stop after the first few ready messages instead of sorting the whole queue (0001's
      // ascending priority made every claim sort every ready message: 12 ms at 20k messages).
      await db.schema.dropIndex("queue_messages_ready").execute();
      await db.schema
        .createIndex("queue_messages_claim_order")
        .on("queue_messages")
        .columns(["queue", "priority desc", "available_at"])
        .execute();
    },
  },
};
