import type { Kysely } from "kysely";
import type { StoreSchema } from "./schema.ts";

/** The store's identity (see migration 0003): equal for every process on the same store, and only for them. */
export async function storeIdentityOf(db: Kysely<StoreSchema>): Promise<string> {
  const row = await db.selectFrom("store_identity").select("value").where("id", "=", 1).executeTakeFirstOrThrow();
  return row.value;
}
