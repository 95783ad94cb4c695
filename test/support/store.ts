import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateSqliteQueue } from "../../src/broker/sqlite/sqlite-task-queue.ts";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite/open.ts";

/** A fresh directory under the system's temp dir, removed by `cleanup`. */
export function tempDir(prefix = "orchestra-test-"): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    cleanup: () => {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** A real SQLite store file with the embedded queue's table, in a fresh temp directory. */
export async function openTempStore(file = "orchestra.db"): Promise<{ store: SqliteStore; path: string; cleanup: () => Promise<void> }> {
  const dir = tempDir();
  const path = join(dir.path, file);
  const store = await openSqliteStore(path);
  await migrateSqliteQueue(store);
  return {
    store,
    path,
    cleanup: async () => {
      await store.close().catch(() => undefined);
      dir.cleanup();
    },
  };
}
