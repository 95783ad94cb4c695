import { statSync } from "node:fs";
import { sql } from "kysely";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { join } from "node:path";
import { BackgroundCheckpointer } from "../../src/store/sqlite/checkpointer.ts";
import { openTempStore, tempDir } from "../support/store.ts";

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups) await cleanup();
  cleanups = [];
});

describe("checkpoints of a busy SQLite store", () => {
  it("move to a background thread: commits stop checkpointing, yet the log reaches the database file", async () => {
    const temp = await openTempStore();
    cleanups.push(temp.cleanup);
    const { store, path } = temp;
    await sql`create table blobs (id integer primary key, body blob not null)`.execute(store.db);
    const writeSome = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++) await store.write((tx) => sql`insert into blobs (body) values (zeroblob(8192))`.execute(tx));
    };
    await writeSome(50);
    expect(store.native.pragma("wal_autocheckpoint", { simple: true })).toBe(1000); // a short-lived store keeps SQLite's own
    await writeSome(250);
    expect(store.native.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    // The thread copies the log into the file: 300 rows of 8 KiB make it grow past 2 MiB.
    const deadline = Date.now() + 5_000;
    while (statSync(path).size < 2 * 1024 * 1024 && Date.now() < deadline) await sleep(50);
    expect(statSync(path).size).toBeGreaterThan(2 * 1024 * 1024);
    await store.close(); // stops the thread too: nothing keeps the test process alive
  });

  it("keep the log bounded under a steady stream of commits (passive checkpoints alone never let SQLite start it over)", async () => {
    const dir = tempDir();
    const path = join(dir.path, "stream.db");
    const db = new Database(path);
    const checkpointer = new BackgroundCheckpointer(path, { intervalMs: 10, maxLogBytes: 1024 * 1024 });
    try {
      db.pragma("journal_mode = WAL");
      db.pragma("wal_autocheckpoint = 0");
      db.exec("create table blobs (id integer primary key, body blob not null)");
      const insert = db.prepare("insert into blobs (body) values (zeroblob(8192))");
      const sizes: number[] = [];
      for (let i = 0; i < 6_000; i++) {
        insert.run(); // about 50 MiB of log in all, in bursts: too fast for a passive checkpoint to catch up
        if (i % 25 === 0) {
          sizes.push(statSync(`${path}-wal`).size);
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      }
      // Without the bound the log only grows, to the whole 50 MiB; with it, it is emptied on the way.
      const emptied = sizes.some((size, i) => i > 0 && size < (sizes[i - 1] ?? 0));
      expect(emptied).toBe(true);
    } finally {
      await checkpointer.stop();
      db.close();
      dir.cleanup();
    }
  });
});
