import { randomBytes } from "node:crypto";
import { Client, escapeIdentifier, type QueryResultRow } from "pg";
import { beforeEach } from "vitest";

/** The PostgreSQL that tests use: `ORCHESTRA_TEST_POSTGRES`, or the one this project's machines run. */
export const POSTGRES_URL = process.env.ORCHESTRA_TEST_POSTGRES ?? "postgresql://root@127.0.0.1:5432/test";

/** Why PostgreSQL tests cannot run here, or null when they can. Asked once per test file. */
export const postgresUnreachable: string | null = await probe();

async function probe(): Promise<string | null> {
  const client = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("select 1");
    return null;
  } catch (error) {
    const message = error instanceof Error && error.message !== "" ? error.message : String(error);
    return `PostgreSQL is unreachable at ${POSTGRES_URL} (${message}); start it (.ci/run does) or set ORCHESTRA_TEST_POSTGRES`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Skips every test of the calling file, with the reason, when PostgreSQL is unreachable; fails them
 * instead under ORCHESTRA_REQUIRE_POSTGRES=1 (as .ci/run sets), where a skip would hide a broken setup.
 */
export function skipWithoutPostgres(): void {
  beforeEach((context) => {
    if (postgresUnreachable === null) return;
    if (process.env.ORCHESTRA_REQUIRE_POSTGRES === "1") throw new Error(postgresUnreachable);
    context.skip(postgresUnreachable);
  });
}

/** A schema name no other test (file, run, or concurrent run) uses. */
export function freshSchema(tag: string): string {
  return `orchestra_test_${tag}_${randomBytes(5).toString("hex")}`;
}

/** The test URL pointing at `schema`, under an application name that lets a test find its own connections. */
export function postgresUrl(schema: string): string {
  const url = new URL(POSTGRES_URL);
  url.searchParams.set("schema", schema);
  url.searchParams.set("application_name", schema);
  return url.toString();
}

/** Runs one statement on a connection of its own (outside any store). */
export async function adminQuery<R extends QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new Client({ connectionString: POSTGRES_URL });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await adminQuery(`drop schema if exists ${escapeIdentifier(schema)} cascade`);
}

/** Ends every connection a store under `applicationName` holds, as a server restart would. Returns how many. */
export async function terminateConnections(applicationName: string): Promise<number> {
  // Materialized first: PostgreSQL may evaluate a WHERE's conditions in any order, and must not
  // terminate a connection before checking that it is one of ours.
  const rows = await adminQuery<{ pid: number }>(
    `with ours as materialized (
       select pid from pg_stat_activity where datname = current_database() and application_name = $1 and pid <> pg_backend_pid()
     )
     select pid from ours where pg_terminate_backend(pid)`,
    [applicationName],
  );
  return rows.length;
}
