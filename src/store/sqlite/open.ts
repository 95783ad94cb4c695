import Database from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { resolve } from "node:path";
import { StoreError } from "../../errors/store-error.ts";
import { migrateToLatest } from "../migrate.ts";
import { storeMigrations } from "../migrations/index.ts";
import { withRetry } from "../retry.ts";
import type { StoreSchema } from "../schema.ts";
import type { Store } from "../store.ts";
import { BackgroundCheckpointer } from "./checkpointer.ts";
import { withStatementCache } from "./statement-cache.ts";
import { prepareWritableStore } from "./writable.ts";

export interface SqliteStoreOptions {
  /** How long a write waits for another process's lock before giving up with a clear error. Default 10 s. */
  readonly lockTimeoutMs?: number;
}

/** Write transactions after which a store starts its background checkpointer. */
const CHECKPOINTER_AFTER_WRITES = 200;

/** SQLite's own wait for a lock, per attempt; short so the event loop is never blocked for long. */
const BUSY_TIMEOUT_MS = 50;

/**
 * Opens (creating when needed) a SQLite store file in WAL mode, so that readers never block the
 * scheduler and worker processes on the same machine can share it.
 */
export async function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const location = path === ":memory:" ? path : resolve(path);
  if (location !== ":memory:") prepareWritableStore(location);
  let native: Database.Database;
  try {
    native = new Database(location);
    native.pragma("journal_mode = WAL");
    native.pragma("synchronous = NORMAL");
    native.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  } catch (error) {
    throw new StoreError(`cannot open the SQLite store ${location}: ${messageOf(error)}`, { cause: error });
  }
  const store = new SqliteStore(native, location, options.lockTimeoutMs ?? 10_000);
  // Kysely takes no lock to migrate SQLite: without this write lock, two processes opening a new file at
  // once would both create the tables. Inside it, a migration is also all or nothing.
  await store.write((tx) => migrateToLatest(tx as Kysely<unknown>, storeMigrations("sqlite"), "orchestra"));
  return store;
}

export class SqliteStore implements Store {
  readonly dialect = "sqlite" as const;
  readonly db: Kysely<StoreSchema>;
  readonly native: Database.Database;
  readonly location: string;
  readonly #lockTimeoutMs: number;
  /** Write transactions so far, until the checkpointer starts. */
  #writes = 0;
  #checkpointer: BackgroundCheckpointer | null = null;

  constructor(native: Database.Database, location: string, lockTimeoutMs: number) {
    this.native = native;
    this.location = location;
    this.#lockTimeoutMs = lockTimeoutMs;
    this.db = new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database: withStatementCache(native) }) });
  }

  write<T>(work: (db: Kysely<StoreSchema>) => Promise<T>): Promise<T> {
    return this.withBusyRetry(() =>
      this.db.connection().execute(async (connection) => {
        await sql`begin immediate`.execute(connection);
        try {
          const result = await work(connection);
          await sql`commit`.execute(connection);
          this.#countWrite();
          return result;
        } catch (error) {
          if (this.native.inTransaction) await sql`rollback`.execute(connection);
          throw error;
        }
      }),
    );
  }

  /**
   * A store that keeps writing hands checkpoints to a thread (see BackgroundCheckpointer); one that
   * writes a few times (a CLI command, a test) never starts it and keeps SQLite's own checkpoints.
   */
  #countWrite(): void {
    if (this.#checkpointer !== null || this.location === ":memory:" || ++this.#writes < CHECKPOINTER_AFTER_WRITES) return;
    this.#checkpointer = new BackgroundCheckpointer(this.location);
    this.native.pragma("wal_autocheckpoint = 0");
  }

  /** Retries `work` while another process holds the database lock, with growing pauses, then fails clearly. */
  withBusyRetry<T>(work: () => Promise<T>): Promise<T> {
    return withRetry(work, {
      timeoutMs: this.#lockTimeoutMs,
      // Write transactions here last a millisecond or two: retry soon, at a random point so that
      // processes that collided do not collide again in step.
      firstPauseMs: 2,
      maxPauseMs: 100,
      jitter: true,
      isRetryable: isBusy,
      giveUp: (error) =>
        new StoreError(
          `the SQLite store ${this.location} is locked by another process; gave up after ${(this.#lockTimeoutMs / 1000).toFixed(1)} s`,
          { cause: error },
        ),
    });
  }

  async close(): Promise<void> {
    await this.#checkpointer?.stop();
    this.#checkpointer = null;
    await this.db.destroy();
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED" || code === "SQLITE_BUSY_SNAPSHOT";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
