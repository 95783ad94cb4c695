import type { Kysely } from "kysely";
import type { StoreSchema } from "./schema.ts";

/**
 * Where jobs, occurrences and runs live. One Kysely query layer for every dialect; only opening the
 * database and running a write transaction differ between them.
 */
/** The SQL dialects a store speaks; migrations take it to spell the few types that differ. */
export type StoreDialect = "sqlite" | "postgres";

export interface Store {
  readonly dialect: StoreDialect;
  /** For reads, and for writes that need no transaction. */
  readonly db: Kysely<StoreSchema>;
  /** Human-readable location, for messages (`/srv/orchestra.db`). */
  readonly location: string;
  /**
   * PostgreSQL: the schema that holds the store's tables, where every migration ledger on the store
   * must be told to live (see migrateToLatest). None for SQLite.
   */
  readonly schema?: string;
  /**
   * Runs `work` in a write transaction (SQLite: BEGIN IMMEDIATE, so two processes never deadlock on
   * a lock upgrade; PostgreSQL: READ COMMITTED, exactly-once rests on unique keys). A database busy
   * with another process, or a lost connection, is retried with backoff, then reported as a StoreError.
   * `work` may run more than once, but only one run is ever committed.
   */
  write<T>(work: (db: Kysely<StoreSchema>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
