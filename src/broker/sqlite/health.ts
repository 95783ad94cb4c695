import type { Kysely } from "kysely";
import type { StoreSchema } from "../../store/schema.ts";
import { asQueueDb } from "./sqlite-task-queue.ts";

/** Throws when the embedded queue cannot be read: its database is unreachable or its table is missing. */
export async function pingSqliteQueue(db: Kysely<StoreSchema>): Promise<void> {
  await asQueueDb(db).selectFrom("queue_messages").select("id").limit(1).execute();
}
