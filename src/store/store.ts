import type { Kysely } from "kysely";
import type { StoreSchema } from "./schema.ts";

/**
 * Where jobs, occurrences and runs live. One Kysely query layer for every dialect; only opening the
 * database and running a write transaction differ between them.
 */
export interface Store {
  readonly dialect: "sqlite" | "postgres";
  /** For reads, and for writes that need no transaction. */
  readonly db: Kysely<StoreSchema>;
  /** Human-readable location, for messages (`/srv/orchestra.db`). */
  readonly location: string;
  /**
   * Runs `work` in a write transaction (SQLite: BEGIN IMMEDIATE, so two processes never deadlock on
   * a lock upgrade). A database busy with another process is retried with backoff, then reported.
   */
  write<T>(work: (db: Kysely<StoreSchema>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
