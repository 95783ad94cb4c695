import { afterEach, describe, expect, it } from "vitest";
import { migrateOutbox, outbox } from "../../src/broker/bullmq/outbox.ts";
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
});
