import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { withStatementCache } from "../../../src/store/sqlite/statement-cache.ts";

describe("the prepared-statement cache under Kysely", () => {
  it("prepares a statement once and reuses it; drops the least recently used past its capacity", () => {
    const native = new Database(":memory:");
    const prepared: string[] = [];
    const prepare = native.prepare.bind(native);
    native.prepare = ((sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    });
    const db = withStatementCache(native, 2);
    const one = db.prepare("select 1");
    expect(db.prepare("select 1")).toBe(one);
    db.prepare("select 2");
    db.prepare("select 1"); // now the most recent: "select 2" is the one to go
    db.prepare("select 3");
    expect(db.prepare("select 1")).toBe(one);
    db.prepare("select 2");
    expect(prepared).toEqual(["select 1", "select 2", "select 3", "select 2"]);
    expect(one.all([])).toEqual([{ 1: 1 }]);
    db.close();
    expect(native.open).toBe(false);
  });
});
