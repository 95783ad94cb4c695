import { afterEach, describe, expect, it } from "vitest";
import type { EnqueueRequest } from "../../src/broker/message.ts";
import { sqliteQueue } from "../../src/broker/sqlite/queue.ts";
import { join } from "node:path";
import { asQueueDb, migrateSqliteQueue } from "../../src/broker/sqlite/sqlite-task-queue.ts";
import { openSqliteStore } from "../../src/store/sqlite/open.ts";
import { openTempStore, tempDir } from "../support/store.ts";

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups) await cleanup();
  cleanups = [];
});

function request(occurrenceId: number, queue: string, priority: number, availableAt: number): EnqueueRequest {
  return {
    queue,
    priority,
    availableAt,
    dueAt: availableAt,
    origin: "schedule",
    message: { occurrenceId, jobName: `job${occurrenceId}`, module: "/m.js", task: "t", args: [], kwargs: null, retries: null, timeout: null, expiresAt: null },
  };
}

async function queueOnDisk() {
  const temp = await openTempStore();
  cleanups.push(temp.cleanup);
  return { db: asQueueDb(temp.store.db), store: temp.store };
}

describe("the embedded SQLite queue", () => {
  it("is created once when two processes open a new store file at the same time", async () => {
    for (let round = 0; round < 5; round++) {
      const dir = tempDir();
      const path = join(dir.path, "orchestra.db");
      const [a, b] = await Promise.all([openSqliteStore(path), openSqliteStore(path)]); // two processes' connections
      cleanups.push(async () => {
        await a.close();
        await b.close();
        dir.cleanup();
      });
      await Promise.all([migrateSqliteQueue(a), migrateSqliteQueue(b)]);
      expect(await sqliteQueue.claim(asQueueDb(b.db), ["default"], "w", 1, 1_000, 0)).toEqual([]);
    }
  });

  it("hands out ready messages of the asked queues, highest priority first, then oldest", async () => {
    const { db } = await queueOnDisk();
    await sqliteQueue.enqueue(db, [request(1, "default", 0, 100), request(2, "default", 5, 200), request(3, "other", 9, 100), request(4, "default", 5, 100)], 0);
    const claimed = await sqliteQueue.claim(db, ["default"], "w1", 10, 1_000, 1_000);
    expect(claimed.map((d) => d.message.occurrenceId)).toEqual([4, 2, 1]);
    const byPriority = await sqliteQueue.claim(db, ["other", "default"], "w2", 10, 1_000, 1_000);
    expect(byPriority.map((d) => d.message.occurrenceId)).toEqual([3]);
  });

  it("orders a claim by priority, then due instant", async () => {
    const { db } = await queueOnDisk();
    await sqliteQueue.enqueue(db, [request(1, "q", 0, 100), request(2, "q", 5, 200), request(3, "q", 5, 100)], 0);
    const first = await sqliteQueue.claim(db, ["q"], "w", 1, 1_000, 1_000);
    const second = await sqliteQueue.claim(db, ["q"], "w", 1, 1_000, 1_000);
    const third = await sqliteQueue.claim(db, ["q"], "w", 1, 1_000, 1_000);
    expect([first, second, third].map((c) => c[0]?.message.occurrenceId)).toEqual([3, 2, 1]);
  });

  it("keeps a message with a countdown (ETA) until it is due", async () => {
    const { db } = await queueOnDisk();
    await sqliteQueue.enqueue(db, [request(1, "q", 0, 5_000)], 0);
    expect(await sqliteQueue.claim(db, ["q"], "w", 1, 1_000, 4_999)).toEqual([]);
    expect(await sqliteQueue.claim(db, ["q"], "w", 1, 1_000, 5_000)).toHaveLength(1);
  });

  it("leases: a held message is invisible to others until its lease runs out; renewals keep it", async () => {
    const { db } = await queueOnDisk();
    await sqliteQueue.enqueue(db, [request(1, "q", 0, 0)], 0);
    const [held] = await sqliteQueue.claim(db, ["q"], "w1", 1, 1_000, 10);
    expect(held?.attempt).toBe(1);
    expect(await sqliteQueue.claim(db, ["q"], "w2", 1, 1_000, 500)).toEqual([]);
    expect(await sqliteQueue.renew(db, [held?.id ?? -1], "w1", 1_000, 900)).toEqual([held?.id]);
    expect(await sqliteQueue.claim(db, ["q"], "w2", 1, 1_000, 1_500)).toEqual([]);
    const [again] = await sqliteQueue.claim(db, ["q"], "w2", 1, 1_000, 2_000);
    expect(again?.attempt).toBe(2);
    expect(await sqliteQueue.renew(db, [held?.id ?? -1], "w1", 1_000, 2_001)).toEqual([]);
    expect(await sqliteQueue.complete(db, [held?.id ?? -1], "w1")).toBe(0);
    expect(await sqliteQueue.complete(db, [again?.id ?? -1], "w2")).toBe(1);
    expect(await sqliteQueue.depth(db)).toBe(0);
  });

  it("release gives a message back without counting the attempt; retryAt delays it", async () => {
    const { db } = await queueOnDisk();
    await sqliteQueue.enqueue(db, [request(1, "q", 0, 0)], 0);
    const [first] = await sqliteQueue.claim(db, ["q"], "w", 1, 1_000, 10);
    await sqliteQueue.release(db, [first?.id ?? -1], "w");
    const [second] = await sqliteQueue.claim(db, ["q"], "w", 1, 1_000, 20);
    expect(second?.attempt).toBe(1);
    expect(await sqliteQueue.retryAt(db, second?.id ?? -1, "w", 3_000)).toBe(true);
    expect(await sqliteQueue.claim(db, ["q"], "w", 1, 1_000, 2_999)).toEqual([]);
    expect((await sqliteQueue.claim(db, ["q"], "w", 1, 1_000, 3_000))[0]?.attempt).toBe(2);
  });

  it("merges several queues into one claim order: the most urgent of all of them first, at most max", async () => {
    const { db } = await queueOnDisk();
    await sqliteQueue.enqueue(
      db,
      [request(1, "a", 1, 100), request(2, "b", 5, 300), request(3, "a", 5, 200), request(4, "b", 0, 50), request(5, "c", 9, 0)],
      0,
    );
    const claimed = await sqliteQueue.claim(db, ["a", "b", "a"], "w", 3, 1_000, 1_000);
    expect(claimed.map((d) => d.message.occurrenceId)).toEqual([3, 2, 1]);
    expect((await sqliteQueue.claim(db, ["b", "a"], "w", 10, 1_000, 1_000)).map((d) => d.message.occurrenceId)).toEqual([4]);
  });

  it("claims through an index in claim order: SQLite stops after the first ready rows instead of sorting the queue", async () => {
    const { store } = await queueOnDisk();
    const plan = store.native
      .prepare(
        "explain query plan select id from queue_messages where queue = ? and available_at <= ? and lease_until < ? order by priority desc, available_at, id limit 16",
      )
      .all("q", 0, 0) as { detail: string }[];
    const details = plan.map((row) => row.detail).join("; ");
    expect(details).toContain("USING INDEX queue_messages_claim_order");
    expect(details).not.toContain("TEMP B-TREE");
  });
});
