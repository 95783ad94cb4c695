import type { Kysely } from "kysely";
import type { EnqueueRequest } from "../../src/broker/message.ts";
import type { TaskQueue } from "../../src/broker/task-queue.ts";
import type { StoreSchema } from "../../src/store/schema.ts";

/**
 * A task queue that only remembers what it was handed, for store tests that look at the ledger. It
 * does not join the transaction: a request from a write that was rolled back (and retried) stays here,
 * under an occurrence id the ledger never committed.
 */
export class RecordingQueue implements TaskQueue {
  readonly name = "recording";
  readonly requests: EnqueueRequest[] = [];

  enqueue(_tx: Kysely<StoreSchema>, requests: readonly EnqueueRequest[]): Promise<void> {
    this.requests.push(...requests);
    return Promise.resolve();
  }
}
