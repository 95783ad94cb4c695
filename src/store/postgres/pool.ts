import { Pool, types, type CustomTypesConfig } from "pg";

export interface PoolSettings {
  readonly connectionString: string;
  readonly max: number;
  readonly connectTimeoutMs: number;
}

/**
 * int8 (bigint) arrives as text, since it may exceed 2^53. Ours never do: instants are epoch
 * milliseconds (2^53 ms is year 287396) and ids count rows. So they are plain numbers, as in SQLite.
 */
const storeTypes: CustomTypesConfig = {
  getTypeParser: (id, format) => (id === types.builtins.INT8 ? Number : (types.getTypeParser(id, format) as (text: string) => unknown)),
};

/**
 * A connection pool for one store, with its own type parsers (not pg's global ones, which would
 * change every other user of `pg` in the process).
 */
export function createPool(settings: PoolSettings): Pool {
  const pool = new Pool({
    connectionString: settings.connectionString,
    max: settings.max,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    application_name: "orchestra", // the URL's application_name wins
    types: storeTypes,
  });
  // A connection that drops while idle in the pool is reported here and discarded by the pool; the next
  // query opens a new one. Without a listener, Node would end the process.
  pool.on("error", () => undefined);
  // One that drops while a query is out reports on the client too: the query fails (and is retried by
  // the store), and the pool drops the client when it comes back. Again, no listener would end the process.
  pool.on("connect", (client) => {
    client.on("error", () => undefined);
  });
  return pool;
}
