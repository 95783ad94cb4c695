import type { Kysely } from "kysely";
import type { StoreSchema } from "../../store/schema.ts";
import type { Instant } from "../../timing/time.ts";
import type { EnqueueRequest } from "../message.ts";
import type { TaskQueue } from "../task-queue.ts";
import { jobIdOf } from "./job-id.ts";
import { bullmqRankOf } from "./job-options.ts";
import { outbox } from "./outbox.ts";
import type { OutboxPublisher } from "./publisher.ts";

/**
 * Dispatch through BullMQ: `enqueue` writes the occurrences to the outbox in the scheduler's
 * transaction, and `committed` has the publisher send them to Redis. The scheduler never waits for
 * Redis, and a Redis outage delays tasks without losing or doubling any.
 */
export class BullmqTaskQueue implements TaskQueue {
  readonly name = "bullmq";
  readonly #publisher: OutboxPublisher;

  constructor(publisher: OutboxPublisher) {
    this.#publisher = publisher;
  }

  enqueue(tx: Kysely<StoreSchema>, requests: readonly EnqueueRequest[], now: Instant): Promise<void> {
    return outbox.add(
      tx,
      requests.map((request) => ({
        job_id: jobIdOf(request),
        queue: request.queue,
        priority: request.priority,
        rank: bullmqRankOf(request.priority, request.queueHasHigherPriority ?? true),
        available_at: request.availableAt,
        payload: JSON.stringify(request.message),
        created_at: now,
      })),
    );
  }

  committed(): void {
    this.#publisher.kick();
  }
}
