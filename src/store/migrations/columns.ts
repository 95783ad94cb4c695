import type { CreateTableBuilder } from "kysely";
import type { StoreDialect } from "../store.ts";

/**
 * The only column types whose spelling differs between dialects. Everything else in a migration is
 * written once. The SQLite spellings are those the first release created: an existing file's schema
 * must stay byte for byte what it was.
 */
export interface DialectColumns {
  /** Adds a generated row id `id` as the table's primary key. */
  id<T extends string, C extends string>(table: CreateTableBuilder<T, C>): CreateTableBuilder<T, C | "id">;
  /** The type of a column that holds another table's row id. */
  readonly idRef: "integer" | "bigint";
}

const sqlite: DialectColumns = {
  // INTEGER PRIMARY KEY is an alias of the rowid: generated, and no AUTOINCREMENT table to keep.
  id: (table) => table.addColumn("id", "integer", (c) => c.primaryKey()),
  idRef: "integer",
};

const postgres: DialectColumns = {
  // bigint, so ids never run out; the store reads int8 as a JS number (safe far beyond any real count).
  id: (table) => table.addColumn("id", "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity()),
  idRef: "bigint",
};

export function dialectColumns(dialect: StoreDialect): DialectColumns {
  return dialect === "sqlite" ? sqlite : postgres;
}
