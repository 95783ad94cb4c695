import type { StoreLocation } from "../config/locations.ts";
import type { StoreError } from "../errors/store-error.ts";
import { openPostgresStore } from "./postgres/open.ts";
import { openSqliteStore } from "./sqlite/open.ts";
import type { Store } from "./store.ts";

/**
 * Opens the store at a backend location (see `parseLocation`), migrated to the latest schema: the one
 * place that knows which dialect serves which location.
 *
 * @example
 * const store = await openStore(parseLocation("postgresql://db/orchestra?schema=prod", process.cwd(), "backend"));
 */
export function openStore(location: StoreLocation, options: { readonly onUnreachable?: (error: StoreError) => void } = {}): Promise<Store> {
  switch (location.kind) {
    case "sqlite":
      return openSqliteStore(location.path);
    case "postgres":
      return openPostgresStore(location.url, options);
  }
}
