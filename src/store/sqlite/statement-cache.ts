import type Database from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";

/**
 * better-sqlite3 behind Kysely, with prepared statements kept and reused. Kysely's SQLite driver
 * prepares every statement it runs, and preparing costs more than running the small statements the
 * scheduler and workers issue thousands of times a second. Statements are keyed by their SQL text
 * (parameters are bound, so the texts repeat); the least recently used are dropped past `capacity`.
 */
export function withStatementCache(native: Database.Database, capacity = 256): SqliteDatabase {
  const statements = new Map<string, Database.Statement>();
  return {
    close(): void {
      statements.clear();
      native.close();
    },
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = native.prepare(sql);
        if (statements.size >= capacity) {
          const oldest = statements.keys().next();
          if (oldest.done !== true) statements.delete(oldest.value);
        }
      } else {
        statements.delete(sql); // re-inserted below: the map's order is the recency order
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}
