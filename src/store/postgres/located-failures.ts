import type {
  CompiledQuery,
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from "kysely";

/**
 * A dialect whose every failure passes through `explain` first: the PostgreSQL store turns a lost or
 * refused connection into a StoreError that names the store ("the PostgreSQL store postgresql://… is
 * unreachable: connect ECONNREFUSED …"), for a read as much as for a write. Without it, a read made
 * while the server restarts (the publisher's, the API's) failed with the driver's bare message, and
 * the API answered 500 instead of 503. The driver's error stays the cause: what sorts failures
 * (failures.ts) looks through causes.
 */
export class LocatedFailuresDialect implements Dialect {
  readonly #inner: Dialect;
  readonly #explain: (error: unknown) => unknown;

  constructor(inner: Dialect, explain: (error: unknown) => unknown) {
    this.#inner = inner;
    this.#explain = explain;
  }

  createDriver(): Driver {
    return new LocatedFailuresDriver(this.#inner.createDriver(), this.#explain);
  }

  createQueryCompiler(): QueryCompiler {
    return this.#inner.createQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return this.#inner.createAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return this.#inner.createIntrospector(db);
  }
}

/** A connection whose queries' failures are explained; the driver is handed the one it made. */
class LocatedConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    readonly explain: (error: unknown) => unknown,
  ) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.inner.executeQuery<R>(compiledQuery);
    } catch (error) {
      throw this.explain(error);
    }
  }

  streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(compiledQuery, chunkSize);
  }
}

function innerOf(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof LocatedConnection ? connection.inner : connection;
}

/** Savepoints are left out: the store never uses them (Kysely says so if something tries). */
class LocatedFailuresDriver implements Driver {
  readonly #inner: Driver;
  readonly #explain: (error: unknown) => unknown;

  constructor(inner: Driver, explain: (error: unknown) => unknown) {
    this.#inner = inner;
    this.#explain = explain;
  }

  init(): Promise<void> {
    return this.#explained(() => this.#inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new LocatedConnection(await this.#explained(() => this.#inner.acquireConnection()), this.#explain);
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#explained(() => this.#inner.beginTransaction(innerOf(connection), settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#explained(() => this.#inner.commitTransaction(innerOf(connection)));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#explained(() => this.#inner.rollbackTransaction(innerOf(connection)));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(innerOf(connection));
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }

  async #explained<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.#explain(error);
    }
  }
}
