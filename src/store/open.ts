import type { SqliteLocation } from "../config/locations.ts";
import { openSqliteStore } from "./sqlite/open.ts";
import type { Store } from "./store.ts";

/**
 * Opens the store at a location: the one place that knows which dialect serves which location
 * (PostgreSQL joins here).
 */
export function openStore(location: SqliteLocation): Promise<Store> {
  return openSqliteStore(location.path);
}
