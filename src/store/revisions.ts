import type { Kysely } from "kysely";
import type { StoreSchema } from "./schema.ts";

/** The store-wide change counter behind `jobs.revision` (see migration 0002). */
export const revisions = {
  /**
   * Takes the next number, in the caller's write transaction. The counter's one row is locked until
   * the commit, so numbers become visible in the order they were taken: a reader that has seen n has
   * seen every change numbered n or less.
   */
  async next(tx: Kysely<StoreSchema>): Promise<number> {
    const row = await tx
      .updateTable("store_revision")
      .set((eb) => ({ n: eb("n", "+", 1) }))
      .where("id", "=", 1)
      .returning("n")
      .executeTakeFirstOrThrow();
    return row.n;
  },

  async current(db: Kysely<StoreSchema>): Promise<number> {
    const row = await db.selectFrom("store_revision").select("n").where("id", "=", 1).executeTakeFirstOrThrow();
    return row.n;
  },
};
