import { afterEach, describe, expect, it } from "vitest";
import { migrateOutbox } from "../../src/broker/bullmq/outbox.ts";
import { jobsRepository } from "../../src/store/jobs.ts";
import { openStore } from "../../src/store/open.ts";
import { openPostgresStore, type PostgresStore } from "../../src/store/postgres/open.ts";
import { adminQuery, dropSchema, freshSchema, postgresUrl, skipWithoutPostgres } from "../support/postgres.ts";

skipWithoutPostgres();

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function open(schema: string, url = postgresUrl(schema)): Promise<PostgresStore> {
  const store = await openPostgresStore(url);
  cleanups.push(() => store.close());
  return store;
}

function schemaFor(tag: string): string {
  const schema = freshSchema(tag);
  cleanups.push(() => dropSchema(schema));
  return schema;
}

const job = { name: "j", module: "/t.js", task: "t", timing: "every 1 second", timezone: "UTC", tags: [], options: {}, missed: "once" as const, maxCatchup: 1 };

describe("the PostgreSQL store's schema", () => {
  it("creates its tables, and its migration ledger, in its own schema only", async () => {
    const schema = schemaFor("own");
    await open(schema);
    const tables = await adminQuery<{ table_schema: string; table_name: string }>(
      "select table_schema, table_name from information_schema.tables where table_schema = $1 order by table_name",
      [schema],
    );
    expect(tables.map((t) => t.table_name)).toEqual(["jobs", "occurrences", "orchestra_migrations", "orchestra_migrations_lock", "runs", "store_identity", "store_revision"]);
    const inPublic = await adminQuery("select 1 from information_schema.tables where table_schema = 'public' and table_name = 'occurrences'");
    expect(inPublic).toEqual([]);
  });

  it("generates row ids as bigint identities, and refers to them as bigint", async () => {
    const schema = schemaFor("ids");
    await open(schema);
    const columns = await adminQuery<{ table_name: string; column_name: string; data_type: string; is_identity: string }>(
      `select table_name, column_name, data_type, is_identity from information_schema.columns
       where table_schema = $1 and table_name in ('occurrences', 'runs') and column_name in ('id', 'occurrence_id', 'due_at') order by table_name, column_name`,
      [schema],
    );
    expect(columns.map((c) => [c.table_name, c.column_name, c.data_type, c.is_identity])).toEqual([
      ["occurrences", "due_at", "bigint", "NO"],
      ["occurrences", "id", "bigint", "YES"],
      ["runs", "id", "bigint", "YES"],
      ["runs", "occurrence_id", "bigint", "NO"],
    ]);
  });

  it("keeps stores in different schemas of one database apart, each with its own migration ledger", async () => {
    const first = await open(schemaFor("apart_a"));
    const second = await open(schemaFor("apart_b"));
    await first.write((tx) => jobsRepository.insert(tx, { definition: job, kind: "CYCLIC", source: "code", state: "running", anchor: 1, nextDue: 2 }, 1));
    expect(await jobsRepository.all(second.db)).toEqual([]);
    expect(await jobsRepository.all(first.db)).toHaveLength(1);
  });

  it("gives each schema's store its own BullMQ outbox and outbox ledger, also when another schema of the database has one", async () => {
    const first = await open(schemaFor("outbox_a"));
    const second = await open(schemaFor("outbox_b"));
    await migrateOutbox(first.db, first.schema);
    await migrateOutbox(second.db, second.schema);
    const tables = await adminQuery<{ table_schema: string; table_name: string }>(
      "select table_schema, table_name from information_schema.tables where table_schema in ($1, $2) and table_name like 'bullmq_outbox%' order by 1, 2",
      [first.schema, second.schema],
    );
    const outboxTables = ["bullmq_outbox", "bullmq_outbox_migrations", "bullmq_outbox_migrations_lock"];
    expect(tables).toEqual([...outboxTables.map((t) => ({ table_schema: first.schema, table_name: t })), ...outboxTables.map((t) => ({ table_schema: second.schema, table_name: t }))]);
  });

  it("takes the schema from the options over the URL's, and names itself without the password", async () => {
    const schema = schemaFor("option");
    const url = new URL(postgresUrl("ignored_schema"));
    url.password = "not-needed-with-trust";
    const store = await openPostgresStore(url.toString(), { schema });
    cleanups.push(() => store.close());
    expect(store.schema).toBe(schema);
    expect(store.location).toContain(":***@");
    expect(store.location).not.toContain("not-needed-with-trust");
    expect(await adminQuery("select 1 from pg_namespace where nspname = 'ignored_schema'")).toEqual([]);
  });

  it("is what openStore opens for a postgresql:// backend location", async () => {
    const schema = schemaFor("opener");
    const store = await openStore({ kind: "postgres", url: postgresUrl(schema) });
    cleanups.push(() => store.close());
    expect(store.dialect).toBe("postgres");
    expect(await jobsRepository.all(store.db)).toEqual([]);
  });
});
