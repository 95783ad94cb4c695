import type { Location } from "../config/locations.ts";
import { openPostgresStore } from "./postgres/open.ts";
import { openSqliteStore } from "./sqlite/open.ts";
import type { Store } from "./store.ts";

/**
 * Opens the store at a backend location (see `parseLocation`), migrated to the latest schema.
 *
 * @example
 * const store = await openStore(parseLocation("postgresql://db/orchestra?schema=prod", process.cwd(), "backend"));
 */
export function openStore(location: Location): Promise<Store> {
  switch (location.kind) {
    case "sqlite":
      return openSqliteStore(location.path);
    case "postgres":
      return openPostgresStore(location.url);
  }
}
