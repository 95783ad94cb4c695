import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Copies the write-ahead log back into the database file from a thread of its own.
 *
 * By default SQLite does this inside a commit once the log passes 1000 pages: that commit then copies
 * megabytes and syncs the file, which took most of the embedded queue's time (about 1.4 ms per commit
 * on average under load, against 0.5 ms without) and stalled the scheduler's loop. Here the store's own
 * connection stops checkpointing and a thread runs passive checkpoints (they never block readers or
 * writers, and SQLite keeps the log consistent whatever the timing) at a steady pace, and empties the
 * log when it grows past a bound (see below).
 *
 * The thread runs a plain script (no TypeScript, no loader), so it works from the sources, the build
 * and the tests alike; it is unref'd so it never keeps a process alive.
 */
export class BackgroundCheckpointer {
  readonly #worker: Worker;

  constructor(path: string, options: { readonly intervalMs?: number; readonly maxLogBytes?: number } = {}) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    const workerData = { driver, path, intervalMs: options.intervalMs ?? 100, maxLogBytes: options.maxLogBytes ?? 16 * 1024 * 1024 };
    this.#worker = new Worker(CHECKPOINT_THREAD, { eval: true, workerData });
    this.#worker.unref();
    // A thread that cannot open the file (removed under it, say) just stops: the store goes on, and
    // SQLite checkpoints when its last connection closes.
    this.#worker.on("error", () => undefined);
  }

  async stop(): Promise<void> {
    await this.#worker.terminate();
  }
}

// Passive checkpoints never wait for anyone, but while writes go on they never catch up with the end
// of the log, and SQLite only starts the log over after a checkpoint that did: under a steady stream of
// commits the log would grow without end (1.2 GB in 8 s of a write loop). So once it passes
// `maxLogBytes` the thread runs a TRUNCATE checkpoint: it waits (busy_timeout) for a gap between
// writers, holds new writers back while it copies the few frames the passive ones left, and empties
// the log. The file is resized only then, so its size says how far the log has grown.
const CHECKPOINT_THREAD = `
const { statSync } = require("node:fs");
const { workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma("busy_timeout = 0");
const logBytes = () => {
  try {
    return statSync(workerData.path + "-wal").size;
  } catch {
    return 0;
  }
};
setInterval(() => {
  try {
    if (logBytes() > workerData.maxLogBytes) {
      db.pragma("busy_timeout = 1000");
      db.pragma("wal_checkpoint(TRUNCATE)");
      db.pragma("busy_timeout = 0");
    } else {
      db.pragma("wal_checkpoint(PASSIVE)");
    }
  } catch {
    // busy: the next round tries again
  }
}, workerData.intervalMs);
`;
