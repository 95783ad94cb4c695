import Database from "better-sqlite3";
import { existsSync } from "node:fs";

/**
 * Reads a SQLite file another process writes, through a read-only connection of its own: what that
 * process has committed. Nothing (an empty list) while the file or the table does not exist yet.
 */
export function readSqliteFile<T>(path: string, sql: string): T[] {
  if (!existsSync(path)) return [];
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } catch (error) {
    if (error instanceof Error && /no such table/.test(error.message)) return [];
    throw error;
  } finally {
    db.close();
  }
}

/** How many occurrences the file's ledger holds so far. */
export function countOccurrences(path: string): number {
  return readSqliteFile<{ n: number }>(path, "select count(*) as n from occurrences")[0]?.n ?? 0;
}

/** The ledger of every occurrence with how many runs and queue messages it has. */
export function occurrenceLedger(path: string): { due_at: number; outcome: string; runs: number; messages: number }[] {
  return readSqliteFile(
    path,
    `select o.due_at, o.outcome,
            (select count(*) from runs r where r.occurrence_id = o.id) as runs,
            (select count(*) from queue_messages m where json_extract(m.payload, '$.occurrenceId') = o.id) as messages
       from occurrences o order by o.due_at`,
  );
}
