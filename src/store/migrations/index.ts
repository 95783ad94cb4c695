import type { Migration } from "kysely";
import type { StoreDialect } from "../store.ts";
import { initial } from "./0001-initial.ts";
import { jobRevisions } from "./0002-job-revisions.ts";
import { storeIdentity } from "./0003-store-identity.ts";

/**
 * The store's migrations in order, one set for every dialect (each spells its row ids its own way);
 * add new ones at the end, never edit a released one's SQLite output.
 */
export function storeMigrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    "0001-initial": initial(dialect),
    "0002-job-revisions": jobRevisions,
    "0003-store-identity": storeIdentity,
  };
}
