import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { initial } from "../../src/store/migrations/0001-initial.ts";
import { storeIdentityOf } from "../../src/store/identity.ts";
import { openSqliteStore } from "../../src/store/sqlite/open.ts";
import { tempDir } from "../support/store.ts";

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** Written by the release before the migrations learnt PostgreSQL: this file must never change. */
const RELEASED_0001 = readFileSync(new URL("../fixtures/store/sqlite-0001.sql", import.meta.url), "utf8");

function schemaOf(native: Database.Database): string {
  const rows = native
    .prepare("select sql from sqlite_master where sql is not null and name not like '%migrations%' order by type, name")
    .all() as { sql: string }[];
  return rows.map((row) => `${row.sql};`).join("\n") + "\n";
}

describe("the store's migrations on SQLite", () => {
  it("0001 creates exactly the schema of the first release", async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const native = new Database(`${dir.path}/o.db`);
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: native }) });
    cleanups.push(() => db.destroy());
    await initial("sqlite").up(db);
    expect(schemaOf(native)).toBe(RELEASED_0001);
  });

  it("a file made by the first release opens and is brought up to date, its jobs kept", async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const path = `${dir.path}/o.db`;
    const old = await openSqliteStore(path);
    await old.db.schema.dropTable("store_identity").execute();
    await old.db.schema.dropTable("store_revision").execute();
    await old.db.schema.dropIndex("jobs_by_revision").execute();
    await old.db.schema.alterTable("jobs").dropColumn("revision").execute();
    await old.db.deleteFrom("orchestra_migrations" as never).where("name" as never, "in", ["0002-job-revisions", "0003-store-identity"] as never).execute();
    expect(schemaOf(old.native)).toBe(RELEASED_0001);
    old.native.prepare("insert into jobs values ('j', '/m.js', 't', 'every 1 hour', 'UTC', 'CYCLIC', '[]', '{}', 'once', 10, 'code', 'paused', 0, 1, 0, 0, null, null, 0, 0)").run();
    await old.close();

    const store = await openSqliteStore(path);
    cleanups.push(() => store.close());
    expect(await store.db.selectFrom("jobs").select(["name", "state", "revision"]).execute()).toEqual([{ name: "j", state: "paused", revision: 0 }]);
    expect(await store.db.selectFrom("store_revision").selectAll().execute()).toEqual([{ id: 1, n: 0 }]);
    expect(await storeIdentityOf(store.db)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("gives every store an identity of its own, kept across openings", async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const first = await openSqliteStore(`${dir.path}/a.db`);
    const identity = await storeIdentityOf(first.db);
    await first.close();
    const again = await openSqliteStore(`${dir.path}/a.db`);
    cleanups.push(() => again.close());
    const other = await openSqliteStore(`${dir.path}/b.db`);
    cleanups.push(() => other.close());
    expect(await storeIdentityOf(again.db)).toBe(identity);
    expect(await storeIdentityOf(other.db)).not.toBe(identity);
  });
});
