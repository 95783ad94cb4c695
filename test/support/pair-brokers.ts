import { sqliteQueue } from "../../src/broker/sqlite/queue.ts";
import { asQueueDb } from "../../src/broker/sqlite/sqlite-task-queue.ts";
import type { Store } from "../../src/store/store.ts";
import { inspectQueue } from "./bullmq.ts";
import { dropPrefix, redisAt, redisUrl, testPrefix } from "./redis.ts";

/** What a broker still holds of the tasks it was given. */
export interface BrokerTally {
  /** Tasks waiting, held until later (a retry's backoff) or running: none once every occurrence has ended. */
  readonly unfinished: number;
  /** Tasks it keeps after they ended (BullMQ keeps them an hour), or null for a broker that deletes them. */
  readonly finished: number | null;
}

/** The embedded queue's messages live in the store's file until their task has ended. */
export async function sqliteQueueTally(store: Store): Promise<BrokerTally> {
  return { unfinished: await sqliteQueue.depth(asQueueDb(store.db)), finished: null };
}

/** A BullMQ broker under a key prefix of its own on the test Redis. */
export function freshRedisBroker(): { url: string; tally: () => Promise<BrokerTally>; dispose: () => Promise<void> } {
  const prefix = testPrefix();
  const queue = inspectQueue(redisAt(prefix));
  return {
    url: redisUrl(prefix),
    tally: async () => {
      const counts = await queue.getJobCounts();
      const finished = (counts.completed ?? 0) + (counts.failed ?? 0);
      const all = Object.values(counts).reduce((sum, n) => sum + n, 0);
      return { unfinished: all - finished, finished };
    },
    dispose: async () => {
      await queue.close();
      await dropPrefix(prefix);
    },
  };
}
