import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Copies the write-ahead log back into the database file from a thread of its own.
 *
 * By default SQLite does this inside a commit once the log passes 1000 pages: that commit then copies
 * megabytes and syncs the file, which took most of the embedded queue's time (about 1.4 ms per commit
 * on average under load, against 0.5 ms without) and stalled the scheduler's loop. Here the store's own
 * connection stops checkpointing and a thread runs passive checkpoints (they never block readers or
 * writers, and SQLite keeps the log consistent whatever the timing) at a steady pace.
 *
 * The thread runs a plain script (no TypeScript, no loader), so it works from the sources, the build
 * and the tests alike; it is unref'd so it never keeps a process alive.
 */
export class BackgroundCheckpointer {
  readonly #worker: Worker;

  constructor(path: string, intervalMs = 250) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.#worker = new Worker(CHECKPOINT_THREAD, { eval: true, workerData: { driver, path, intervalMs } });
    this.#worker.unref();
    // A thread that cannot open the file (removed under it, say) just stops: the store goes on, and
    // SQLite checkpoints when its last connection closes.
    this.#worker.on("error", () => undefined);
  }

  async stop(): Promise<void> {
    await this.#worker.terminate();
  }
}

const CHECKPOINT_THREAD = `
const { workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma("busy_timeout = 0");
setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // busy: the next round tries again
  }
}, workerData.intervalMs);
`;
