import { randomUUID } from "node:crypto";
import type { Kysely, Migration } from "kysely";

/**
 * Gives the store an identity, drawn once when the store is made: processes that must share a store
 * (a scheduler and its Redis workers) compare it to find out that they do not.
 */
export const storeIdentity: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable("store_identity")
      .addColumn("id", "integer", (c) => c.primaryKey())
      .addColumn("value", "text", (c) => c.notNull())
      .execute();
    await (db as Kysely<{ store_identity: { id: number; value: string } }>).insertInto("store_identity").values({ id: 1, value: randomUUID() }).execute();
  },
};
