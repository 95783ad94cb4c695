import { sql, type Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { StoreSchema } from "../../src/store/schema.ts";
import type { Store } from "../../src/store/store.ts";
import { WriteBatcher } from "../../src/store/write-batcher.ts";
import { openTempStore } from "../support/store.ts";

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups) await cleanup();
  cleanups = [];
});

/** A real store whose transactions are counted. */
async function countingStore(): Promise<{ store: Store; transactions: () => number }> {
  const temp = await openTempStore();
  cleanups.push(temp.cleanup);
  await sql`create table notes (id integer primary key, body text not null unique)`.execute(temp.store.db);
  let count = 0;
  const store: Store = {
    dialect: temp.store.dialect,
    db: temp.store.db,
    location: temp.store.location,
    close: () => temp.store.close(),
    write<T>(work: (db: Kysely<StoreSchema>) => Promise<T>): Promise<T> {
      count++;
      return temp.store.write(work);
    },
  };
  return { store, transactions: () => count };
}

const insertNote = (body: string) => async (tx: Kysely<StoreSchema>) =>
  (await sql<{ id: number }>`insert into notes (body) values (${body}) returning id`.execute(tx)).rows[0]?.id;

describe("a write batcher", () => {
  it("puts the writes of concurrent callers in one transaction, each caller getting its own result", async () => {
    const { store, transactions } = await countingStore();
    const batcher = new WriteBatcher(store);
    const ids = await Promise.all(["a", "b", "c", "d"].map((body) => batcher.write(insertNote(body))));
    expect(ids).toEqual([1, 2, 3, 4]);
    expect(transactions()).toBe(1);
    expect(await batcher.write(insertNote("e"))).toBe(5); // a later caller: its own transaction
    expect(transactions()).toBe(2);
  });

  it("keeps one caller's failure its own: the others' writes are committed", async () => {
    const { store } = await countingStore();
    const batcher = new WriteBatcher(store);
    const results = await Promise.allSettled([batcher.write(insertNote("x")), batcher.write(insertNote("x")), batcher.write(insertNote("y"))]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const bodies = await sql<{ body: string }>`select body from notes order by id`.execute(store.db);
    expect(bodies.rows.map((row) => row.body)).toEqual(["x", "y"]);
  });
});
