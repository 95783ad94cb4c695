import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/store/sqlite/open.ts";
import { tempDir } from "../support/store.ts";

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

describe("the store's migrations on SQLite", () => {
  it("create exactly the schema of the first release, so files made by it open unchanged", async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const store = await openSqliteStore(`${dir.path}/o.db`);
    cleanups.push(() => store.close());
    const rows = store.native
      .prepare("select sql from sqlite_master where sql is not null and name not like '%migrations%' order by type, name")
      .all() as { sql: string }[];
    // Written by the release before the migrations learnt PostgreSQL: this file must never change.
    const released = readFileSync(new URL("../fixtures/store/sqlite-0001.sql", import.meta.url), "utf8");
    expect(rows.map((row) => `${row.sql};`).join("\n") + "\n").toBe(released);
  });
});
