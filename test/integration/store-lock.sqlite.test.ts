import Database from "better-sqlite3";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { StoreError } from "../../src/errors/store-error.ts";
import { jobsRepository } from "../../src/store/jobs.ts";
import { openSqliteStore } from "../../src/store/sqlite/open.ts";
import { tempDir } from "../support/store.ts";

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** Another connection (as another process would) that takes the write lock and holds it. */
function holdWriteLock(path: string): { release: () => void } {
  const other = new Database(path);
  other.exec("BEGIN IMMEDIATE");
  return {
    release: () => {
      if (other.inTransaction) other.exec("COMMIT");
      other.close();
    },
  };
}

describe("a store whose database another process has locked", () => {
  it("retries with backoff and succeeds once the lock is released", async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const path = join(dir.path, "locked.db");
    const store = await openSqliteStore(path, { lockTimeoutMs: 5_000 });
    cleanups.push(() => store.close());
    const lock = holdWriteLock(path);
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        lock.release();
        resolve();
      }, 150),
    );
    const started = Date.now();
    await store.write((tx) => jobsRepository.delete(tx, "nothing"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    await released;
  });

  it("gives up after its lock timeout with a clear error naming the file", async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const path = join(dir.path, "locked.db");
    const store = await openSqliteStore(path, { lockTimeoutMs: 300 });
    cleanups.push(() => store.close());
    const lock = holdWriteLock(path);
    cleanups.push(lock.release);
    const error: unknown = await store.write((tx) => jobsRepository.delete(tx, "nothing")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toBe(`the SQLite store ${path} is locked by another process; gave up after 0.3 s`);
  });
});
