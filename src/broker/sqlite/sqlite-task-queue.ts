import type { Kysely } from "kysely";
import { migrateToLatest } from "../../store/migrate.ts";
import type { StoreSchema } from "../../store/schema.ts";
import type { Store } from "../../store/store.ts";
import type { Instant } from "../../timing/time.ts";
import type { EnqueueRequest } from "../message.ts";
import type { TaskQueue } from "../task-queue.ts";
import { sqliteQueue } from "./queue.ts";
import { queueMigrations, type QueueSchema } from "./schema.ts";

/** The embedded queue: a table beside the store's, written in the same transaction as the occurrence. */
export class SqliteTaskQueue implements TaskQueue {
  readonly name = "sqlite";

  enqueue(tx: Kysely<StoreSchema>, requests: readonly EnqueueRequest[], now: Instant): Promise<void> {
    return sqliteQueue.enqueue(asQueueDb(tx), requests, now);
  }
}

/** The queue's table lives in the store's database: the same handle (and transaction) serves both. */
export function asQueueDb(db: Kysely<StoreSchema>): Kysely<QueueSchema> {
  return db as unknown as Kysely<QueueSchema>;
}

/**
 * Creates the queue's table in a store database (its own migration ledger), under the store's write
 * lock: Kysely takes none to migrate SQLite, and two processes opening a new file at once would both
 * create the table (as for the store's own migration).
 */
export function migrateSqliteQueue(store: Store): Promise<void> {
  return store.write((tx) => migrateToLatest(tx as Kysely<unknown>, queueMigrations, "queue"));
}
