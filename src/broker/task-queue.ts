import type { Kysely } from "kysely";
import type { StoreSchema } from "../store/schema.ts";
import type { Instant } from "../timing/time.ts";
import type { EnqueueRequest } from "./message.ts";

/**
 * Where the scheduler sends due occurrences. `enqueue` receives the store transaction that records
 * them: a queue in the same database joins it (one commit for both); a remote broker makes the add
 * idempotent by occurrence id instead.
 */
export interface TaskQueue {
  readonly name: string;
  enqueue(tx: Kysely<StoreSchema>, requests: readonly EnqueueRequest[], now: Instant): Promise<void>;
  /**
   * Called once the transaction that enqueued has committed. A broker outside the store can only send
   * what is committed (otherwise a rolled-back occurrence could run): it publishes from here.
   */
  committed?(): void;
}
