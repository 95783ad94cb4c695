import { afterEach, describe, expect, it } from "vitest";
import { sql, type Kysely, type Migration } from "kysely";
import { migrateOutbox, outbox, outboxMigrations } from "../../src/broker/bullmq/outbox.ts";
import { migrateToLatest } from "../../src/store/migrate.ts";
import { openSqliteStore } from "../../src/store/sqlite/open.ts";
import { openTempStore } from "../support/store.ts";

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

describe("the BullMQ outbox's table", () => {
  it("is created once when a scheduler and a worker open the same store at the same time", async () => {
    for (let round = 0; round < 5; round++) {
      const temp = await openTempStore();
      const other = await openSqliteStore(temp.path); // the other process's connection
      cleanups.push(async () => {
        await other.close();
        await temp.cleanup();
      });
      await Promise.all([migrateOutbox(temp.store.db), migrateOutbox(other.db)]);
      expect(await outbox.unpublishedCount(other.db)).toBe(0);
    }
  });

  it("gives rows written before ranks existed the rank every job had then (migration 0002)", async () => {
    const temp = await openTempStore();
    cleanups.push(temp.cleanup);
    const first = { "0001-outbox": outboxMigrations["0001-outbox"] } as Record<string, Migration>;
    await migrateToLatest(temp.store.db as Kysely<unknown>, first, "bullmq_outbox");
    await sql`insert into bullmq_outbox (job_id, queue, priority, available_at, payload, created_at) values ('a@1', 'default', 0, 1, '{}', 1), ('b@1', 'default', 5, 1, '{}', 1)`.execute(temp.store.db);
    await migrateOutbox(temp.store.db);
    const rows = await outbox.unpublished(temp.store.db, 10);
    expect(rows.map((row) => [row.job_id, row.rank])).toEqual([
      ["a@1", 1_048_576],
      ["b@1", 1_048_571],
    ]);
  });
});
