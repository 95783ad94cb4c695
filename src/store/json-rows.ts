import { sql, type Kysely, type RawBuilder } from "kysely";

/** A column of a JSON row set: its name and how its values are read. */
export type JsonColumn = readonly [name: string, type: "bigint" | "text"];

/** Rows per JSON parameter: bounds one statement's size, not a limit of either database. */
export const JSON_ROWS_CHUNK = 1_000;

/**
 * A batch of rows as one JSON parameter (an array of arrays), read back as a table for a set-based
 * statement: `with ended as ${jsonRows(…)} update runs … from ended`. The statement's text is the
 * same for any number of rows, so it is prepared once and kept (see the SQLite statement cache), and no
 * query-builder node is made per value: for a worker's batch of a few hundred ends this is half the
 * time of a `VALUES` list with a bound parameter per value. Only the function that expands a JSON
 * array differs between the dialects; a number is cast from the text `->>` gives in PostgreSQL.
 */
export function jsonRows<DB>(db: Kysely<DB>, columns: readonly JsonColumn[], rows: readonly (readonly unknown[])[]): RawBuilder<unknown> {
  const fields = columns.map(([name, type], index) => {
    const value = sql`value ->> ${sql.lit(index)}`;
    return sql`${type === "bigint" ? sql`cast(${value} as bigint)` : value} as ${sql.id(name)}`;
  });
  const json = JSON.stringify(rows);
  const elements = isSqlite(db) ? sql`json_each(${json})` : sql`jsonb_array_elements(cast(${json} as jsonb))`;
  return sql`(select ${sql.join(fields)} from ${elements})`;
}

/** The dialect, from Kysely's public surface: SQLite binds `?`, PostgreSQL `$1` (the only two stores). */
function isSqlite<DB>(db: Kysely<DB>): boolean {
  return sql`${0}`.compile(db).sql === "?";
}
