import type Database from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";
import { LruMap } from "../../util/lru-map.ts";

/**
 * better-sqlite3 behind Kysely, with prepared statements kept and reused. Kysely's SQLite driver
 * prepares every statement it runs, and preparing costs more than running the small statements the
 * scheduler and workers issue thousands of times a second. Statements are keyed by their SQL text
 * (parameters are bound, so the texts repeat); the least recently used are dropped past `capacity`.
 */
export function withStatementCache(native: Database.Database, capacity = 256): SqliteDatabase {
  const statements = new LruMap<string, Database.Statement>(capacity);
  return {
    close(): void {
      statements.clear();
      native.close();
    },
    prepare(sql: string): SqliteStatement {
      return statements.getOrCreate(sql, () => native.prepare(sql));
    },
  };
}
