import type { Migration } from "kysely";
import * as initial from "./0001-initial.ts";

/** The store's migrations in order; add new ones at the end, never edit a released one. */
export const storeMigrations: Record<string, Migration> = {
  "0001-initial": initial,
};
