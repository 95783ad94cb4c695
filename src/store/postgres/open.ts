import { Kysely, PostgresDialect, sql } from "kysely";
import { CommitUnknownError } from "../../errors/commit-unknown-error.ts";
import { StoreError } from "../../errors/store-error.ts";
import { migrateToLatest } from "../migrate.ts";
import { storeMigrations } from "../migrations/index.ts";
import { withRetry } from "../retry.ts";
import type { StoreSchema } from "../schema.ts";
import type { Store } from "../store.ts";
import { isConnectionLoss, isTransient } from "./failures.ts";
import { LocatedFailuresDialect } from "./located-failures.ts";
import { createPool } from "./pool.ts";
import { parsePostgresUrl, type PostgresAddress } from "./url.ts";

export interface PostgresStoreOptions {
  /** The schema that holds the store's tables; wins over the URL's `?schema=`. Default `public`. */
  readonly schema?: string;
  /** How long opening, or a write, keeps trying while the server is unreachable. Default 30 s. */
  readonly reconnectTimeoutMs?: number;
  /** Connections kept at most. Default 10. */
  readonly poolSize?: number;
  /** How long one attempt to connect may take. Default 5 s. */
  readonly connectTimeoutMs?: number;
  /**
   * Told once, at the first failed try to reach the server while opening, that the store goes on
   * trying for `reconnectTimeoutMs` (a typo'd host would otherwise be 30 s of silence).
   */
  readonly onUnreachable?: (error: StoreError) => void;
}

/**
 * Opens a PostgreSQL store and brings its schema up to date (creating the schema when needed). Several
 * schedulers may share one: the occurrence ledger's unique key makes each occurrence dispatch once.
 *
 * @example
 * const store = await openPostgresStore("postgresql://orchestra@db.internal/orchestra?schema=prod");
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const store = new PostgresStore(parsePostgresUrl(url, options.schema), options);
  try {
    // Reach the server first, so that its refusal (no such database, no such role) is not reported
    // as a failed migration.
    let told = false;
    await store.withReconnect(
      () => sql`select 1`.execute(store.db),
      (error) => {
        if (told) return;
        told = true;
        options.onUnreachable?.(
          new StoreError(`${messageOf(error)}; trying again for up to ${(store.reconnectTimeoutMs / 1000).toFixed(1)} s`, { cause: error }),
        );
      },
    );
    // Kysely's migrator creates the schema, and serialises concurrent openers with an advisory lock.
    await store.withReconnect(() => migrateToLatest(store.db as Kysely<unknown>, storeMigrations("postgres"), "orchestra", store.schema));
  } catch (error) {
    await store.close();
    if (error instanceof StoreError) throw error;
    throw new StoreError(`cannot open the PostgreSQL store ${store.location}: ${messageOf(error)}`, { cause: error });
  }
  return store;
}

export class PostgresStore implements Store {
  readonly dialect = "postgres" as const;
  readonly db: Kysely<StoreSchema>;
  readonly location: string;
  readonly schema: string;
  readonly reconnectTimeoutMs: number;
  #closed = false;

  constructor(address: PostgresAddress, options: PostgresStoreOptions) {
    this.location = address.display;
    this.schema = address.schema;
    this.reconnectTimeoutMs = options.reconnectTimeoutMs ?? 30_000;
    const pool = createPool({
      connectionString: address.connectionString,
      max: options.poolSize ?? 10,
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    });
    this.db = new Kysely<StoreSchema>({ dialect: new LocatedFailuresDialect(new PostgresDialect({ pool }), (error) => this.#explain(error)) });
  }

  /**
   * READ COMMITTED is enough: no write reads rows to decide what to write (counters are incremented in
   * place, conditions sit in the UPDATE's WHERE, which sees the latest committed row). Two schedulers
   * racing for one occurrence meet at its unique key, where the second one's insert waits for the
   * first to commit and then does nothing (`on conflict do nothing`), without an error.
   */
  write<T>(work: (db: Kysely<StoreSchema>) => Promise<T>): Promise<T> {
    return this.withReconnect(async () => {
      const phase = { committing: false };
      try {
        return await this.db
          .transaction()
          .setIsolationLevel("read committed")
          .execute(async (tx) => {
            const result = await work(tx);
            phase.committing = true;
            return result;
          });
      } catch (error) {
        if (phase.committing && isConnectionLoss(error)) {
          throw new CommitUnknownError(
            `the connection to the PostgreSQL store ${this.location} was lost while committing; the write may or may not have been applied`,
            { cause: error },
          );
        }
        throw error;
      }
    });
  }

  /**
   * Runs `work` again while the server is unreachable or rolled it back (a deadlock, a serialization
   * failure), with growing pauses, then fails clearly. Only work that surely did not commit is retried.
   */
  withReconnect<T>(work: () => Promise<T>, onRetry?: (error: unknown) => void): Promise<T> {
    return withRetry(work, {
      ...(onRetry === undefined ? {} : { onRetry }),
      timeoutMs: this.reconnectTimeoutMs,
      firstPauseMs: 50,
      maxPauseMs: 2_000,
      jitter: true,
      isRetryable: (error) => !this.#closed && !(error instanceof CommitUnknownError) && isTransient(error),
      giveUp: (error) =>
        new StoreError(
          `the PostgreSQL store ${this.location} is unreachable; gave up after ${(this.reconnectTimeoutMs / 1000).toFixed(1)} s: ${messageOf(driverErrorOf(error))}`,
          { cause: error },
        ),
    });
  }

  /** A lost or refused connection, told as this store's (see LocatedFailuresDialect); other failures as they are. */
  #explain(error: unknown): unknown {
    if (error instanceof StoreError || !isConnectionLoss(error)) return error;
    return new StoreError(`the PostgreSQL store ${this.location} is unreachable: ${messageOf(error)}`, { cause: error });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.db.destroy();
  }
}

/** The driver's own error under the store's explanation of it. */
function driverErrorOf(error: unknown): unknown {
  return error instanceof StoreError && error.cause !== undefined ? error.cause : error;
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // A refused connection to a host with several addresses is an AggregateError with an empty message.
  if (message === "" && error instanceof AggregateError) return error.errors.map(messageOf).join("; ");
  return message;
}
