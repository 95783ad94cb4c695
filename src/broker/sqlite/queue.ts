import { sql, type Kysely } from "kysely";
import type { Instant } from "../../timing/time.ts";
import type { Delivery, EnqueueRequest, TaskMessage } from "../message.ts";
import type { QueueSchema } from "./schema.ts";
import { chunksOf } from "../../util/chunks.ts";

/**
 * The embedded queue's operations. Each takes the database handle to run on, so that the scheduler can
 * enqueue inside the transaction that writes the occurrence, and a worker can complete a message inside
 * the transaction that records its run: nothing is ever half done.
 */
export const sqliteQueue = {
  async enqueue(db: Kysely<QueueSchema>, requests: readonly EnqueueRequest[], now: Instant): Promise<void> {
    // SQLite allows 32766 bound values per statement; 8 per row.
    for (const part of chunksOf(requests, 1000)) {
      const rows = part.map((request) => ({
        queue: request.queue,
        priority: request.priority,
        payload: JSON.stringify(request.message),
        available_at: request.availableAt,
        attempt: 0,
        lease_owner: null,
        lease_until: 0,
        created_at: now,
      }));
      await db.insertInto("queue_messages").values(rows).execute();
    }
  },

  /**
   * Leases up to `max` ready messages of the given queues to `owner` until now + leaseMs: highest
   * priority first, then oldest. A message whose holder's lease ran out (its worker died) is ready again.
   * Run it in a write transaction (the store's `write`), so that no other worker claims the same ones.
   */
  async claim(
    db: Kysely<QueueSchema>,
    queues: readonly string[],
    owner: string,
    max: number,
    leaseMs: number,
    now: Instant,
  ): Promise<Delivery[]> {
    if (max <= 0 || queues.length === 0) return [];
    // One indexed read per queue (each stops after `max` rows), merged here: `queue IN (…)` with this
    // order would make SQLite sort every ready message of those queues.
    const candidates: ClaimKey[] = [];
    for (const queue of new Set(queues)) {
      const rows = await db
        .selectFrom("queue_messages")
        .select(["id", "priority", "available_at"])
        .where("queue", "=", queue)
        .where("available_at", "<=", now)
        .where("lease_until", "<", now)
        .orderBy("priority", "desc")
        .orderBy("available_at")
        .orderBy("id")
        .limit(max)
        .execute();
      candidates.push(...rows);
    }
    if (candidates.length === 0) return [];
    const chosen = candidates.sort(claimOrder).slice(0, max);
    const rows = await db
      .updateTable("queue_messages")
      .set({ lease_owner: owner, lease_until: now + leaseMs, attempt: sql`attempt + 1` })
      .where("id", "in", chosen.map((row) => row.id))
      .returning(["id", "queue", "payload", "attempt", "priority", "available_at"])
      .execute();
    // RETURNING has no order: restore the claim's, so the most urgent starts first.
    return rows
      .sort(claimOrder)
      .map((row) => ({ id: row.id, queue: row.queue, attempt: row.attempt, message: JSON.parse(row.payload) as TaskMessage }));
  },

  /** Extends the leases `owner` still holds; returns the ids it still holds. */
  async renew(db: Kysely<QueueSchema>, ids: readonly number[], owner: string, leaseMs: number, now: Instant): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows = await db
      .updateTable("queue_messages")
      .set({ lease_until: now + leaseMs })
      .where("id", "in", ids)
      .where("lease_owner", "=", owner)
      .returning("id")
      .execute();
    return rows.map((row) => row.id);
  },

  /** Removes finished messages (success, final failure, expiry) that `owner` holds. */
  async complete(db: Kysely<QueueSchema>, ids: readonly number[], owner: string): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await db.deleteFrom("queue_messages").where("id", "in", ids).where("lease_owner", "=", owner).executeTakeFirst();
    return Number(result.numDeletedRows);
  },

  /** Puts a failed message back for a later attempt. */
  async retryAt(db: Kysely<QueueSchema>, id: number, owner: string, availableAt: Instant): Promise<boolean> {
    const result = await db
      .updateTable("queue_messages")
      .set({ lease_owner: null, lease_until: 0, available_at: availableAt })
      .where("id", "=", id)
      .where("lease_owner", "=", owner)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  /** Gives messages back untouched (a worker shutting down before starting them): the attempt is not counted. */
  async release(db: Kysely<QueueSchema>, ids: readonly number[], owner: string): Promise<void> {
    if (ids.length === 0) return;
    await db
      .updateTable("queue_messages")
      .set({ lease_owner: null, lease_until: 0, attempt: sql`attempt - 1` })
      .where("id", "in", ids)
      .where("lease_owner", "=", owner)
      .execute();
  },

  async depth(db: Kysely<QueueSchema>): Promise<number> {
    const row = await db.selectFrom("queue_messages").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    return row.n;
  },
};

interface ClaimKey {
  readonly id: number;
  readonly priority: number;
  readonly available_at: number;
}

/** Most urgent first: highest priority, then the longest ready, then the oldest. */
function claimOrder(a: ClaimKey, b: ClaimKey): number {
  return b.priority - a.priority || a.available_at - b.available_at || a.id - b.id;
}
