import { Migrator, type Kysely, type Migration, type MigrationProvider } from "kysely";
import { StoreError } from "../errors/store-error.ts";

/** Migrations listed in code (not read from a folder) so they travel inside the built package. */
export class StaticMigrations implements MigrationProvider {
  constructor(private readonly migrations: Record<string, Migration>) {}

  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(this.migrations);
  }
}

/**
 * Brings a database up to date; `table` keeps each component's ledger apart (store, queue). `schema`
 * (PostgreSQL) names where the ledger lives: without it Kysely would take a ledger table of the same
 * name in any other schema of the database for ours.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  migrations: Record<string, Migration>,
  table: string,
  schema?: string,
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new StaticMigrations(migrations),
    migrationTableName: `${table}_migrations`,
    migrationLockTableName: `${table}_migrations_lock`,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === "Error")?.migrationName ?? "unknown";
    const cause = error instanceof Error ? error.message : JSON.stringify(error);
    throw new StoreError(`migration ${failed} of ${table} failed: ${cause}`, { cause: error });
  }
}
