import { isAbsolute, resolve } from "node:path";
import { OrchestraError } from "../errors/orchestra-error.ts";
import { ErrorCode } from "../errors/error-code.ts";
import { parsePostgresUrl } from "../store/postgres/url.ts";
import { suggest } from "../timing/suggest.ts";
import { portProblem } from "./port.ts";

/** A SQLite file: the embedded queue, the embedded store, or both. */
export interface SqliteLocation {
  readonly kind: "sqlite";
  readonly path: string;
}

/** A Redis server that BullMQ queues live on. */
export interface RedisLocation {
  readonly kind: "redis";
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** `rediss://`: TLS. */
  readonly tls: boolean;
  /** BullMQ's key prefix (`?prefix=name`); separate prefixes keep separate Orchestras apart on one server. */
  readonly prefix: string;
  /** The URL without its password, for messages. */
  readonly display: string;
}

/** A PostgreSQL store; `url` is kept whole (the store reads its `schema` parameter). */
export interface PostgresLocation {
  readonly kind: "postgres";
  readonly url: string;
}

/** Where tasks are queued: the embedded SQLite queue, or BullMQ on Redis. */
export type BrokerLocation = SqliteLocation | RedisLocation;

/** Where jobs, occurrences and runs are kept: a SQLite file or a PostgreSQL schema. */
export type StoreLocation = SqliteLocation | PostgresLocation;

/** Any location, parsed from the user's connection strings. */
export type Location = BrokerLocation | StoreLocation;

/** BullMQ's own default, so that other BullMQ tools see Orchestra's queues where they look first. */
export const DEFAULT_REDIS_PREFIX = "bull";

/** `sqlite://` and the seed's `sqla+sqlite://`; the path after the slashes in the second group. */
const SQLITE_URL = /^(?:sqla\+)?sqlite:\/\/(\/?)(.*)$/i;

/**
 * Why a broker or backend string names no file nor server (`is empty: …`, `names no file: …`), or
 * undefined. Resolved as a path, `""`, `sqlite://` and `sqlite:///` are the working directory itself,
 * which SQLite can only call "unable to open database file"; a path ending in `/` is a folder.
 *
 * @example
 * namesNothing("sqlite:///", "broker"); // "names no file: give sqlite:///relative/path.db or sqlite:////absolute/path.db"
 */
export function namesNothing(value: string, role: "broker" | "backend"): string | undefined {
  const expected = role === "broker" ? "a file path, sqlite:///path.db or redis://host:6379/0" : "a file path, sqlite:///path.db or postgresql://…";
  if (value.trim() === "") return `is empty: give ${expected}`;
  const path = SQLITE_URL.exec(value)?.[2] ?? (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? undefined : value);
  if (path === "") return "names no file: give sqlite:///relative/path.db or sqlite:////absolute/path.db";
  if (path?.endsWith("/") === true) return `names a folder, not a file: give ${expected}`;
  return undefined;
}

/**
 * Reads a broker or backend string: `sqlite:///abs/path.db`, `sqlite:///./rel.db`, the seed's
 * `sqla+sqlite:///log.db`, or a bare file path; for a broker also
 * `redis://[user:password@]host[:port][/db][?prefix=name]` and `rediss://…` (TLS); for a backend also
 * `postgresql://…` or `postgres://…`. Relative paths resolve against `baseDir`.
 */
export function parseLocation(value: string, baseDir: string, role: "broker"): BrokerLocation;
export function parseLocation(value: string, baseDir: string, role: "backend"): StoreLocation;
export function parseLocation(value: string, baseDir: string, role: "broker" | "backend"): Location {
  const nothing = namesNothing(value, role);
  if (nothing !== undefined) throw new OrchestraError(ErrorCode.Config, `the ${role} "${value}" ${nothing}`);
  const match = SQLITE_URL.exec(value);
  if (match !== null) {
    const path = match[2] ?? "";
    if (path === ":memory:") return { kind: "sqlite", path };
    // sqlite:///log.db is relative in SQLAlchemy's reading (three slashes), sqlite:////abs/log.db absolute.
    const file = path.startsWith("/") ? path : resolve(baseDir, path);
    return { kind: "sqlite", path: file };
  }
  if (/^postgres(?:ql)?:\/\//i.test(value)) {
    if (role === "backend") {
      parsePostgresUrl(value); // refused now, before a command loads or opens anything
      return { kind: "postgres", url: value };
    }
    throw new OrchestraError(
      ErrorCode.Config,
      "PostgreSQL is a store of jobs and runs (a backend), not a task queue: the broker is a SQLite file or redis://…",
    );
  }
  if (/^rediss?:\/\//i.test(value)) {
    if (role === "backend") {
      throw new OrchestraError(ErrorCode.Config, "a Redis URL cannot be the backend (where runs are kept): use sqlite:///path.db or postgresql://…");
    }
    return parseRedisUrl(value);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    const scheme = value.split(":")[0] ?? "";
    const supported =
      role === "backend"
        ? "SQLite (sqlite:///path.db or a file path) or PostgreSQL (postgresql://…)"
        : "SQLite (sqlite:///path.db or a file path) or Redis (redis://host:6379/0, rediss://…)";
    throw new OrchestraError(ErrorCode.Config, `unsupported ${role} "${scheme}://…": this version runs on ${supported}`);
  }
  return { kind: "sqlite", path: isAbsolute(value) ? value : resolve(baseDir, value) };
}

function parseRedisUrl(value: string): RedisLocation {
  const badPort = portProblem(value);
  if (badPort !== undefined) throw invalidRedis(value, badPort);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidRedis(value, "not a URL");
  }
  const port = url.port === "" ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, "");
  const db = dbText === "" ? 0 : Number(dbText);
  if (!/^\d*$/.test(dbText) || !Number.isInteger(db) || db < 0) throw invalidRedis(value, `the database "${dbText}" is not a number`);
  if (url.hostname === "") throw invalidRedis(value, "no host");
  for (const key of url.searchParams.keys()) {
    if (key !== "prefix") throw invalidRedis(value, `unknown option "${key}"${suggest(key, ["prefix"]) === undefined ? ' (only "prefix" is known)' : '; did you mean "prefix"?'}`);
  }
  const prefix = url.searchParams.get("prefix") ?? DEFAULT_REDIS_PREFIX;
  // BullMQ joins its keys with ':'; a prefix holding one would read as another queue's keys.
  if (!/^[\w.-]+$/.test(prefix)) throw invalidRedis(value, `the prefix "${prefix}" may hold only letters, digits, '_', '-' and '.'`);
  const username = url.username === "" ? undefined : decodeURIComponent(url.username);
  const password = url.password === "" ? undefined : decodeURIComponent(url.password);
  const safe = new URL(value);
  if (safe.password !== "") safe.password = "***";
  return {
    kind: "redis",
    // new URL keeps IPv6 literals in brackets; ioredis wants them bare.
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port,
    db,
    username,
    password,
    tls: url.protocol.toLowerCase() === "rediss:",
    prefix,
    display: safe.toString(),
  };
}

function invalidRedis(value: string, why: string): OrchestraError {
  const shown = value.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
  return new OrchestraError(ErrorCode.Config, `invalid Redis URL "${shown}": ${why} (expected redis://[user:password@]host[:port][/db][?prefix=name])`);
}

/** Where an Orchestra keeps its store and sends its tasks, once both options are read. */
export interface Locations {
  readonly broker: BrokerLocation;
  readonly store: StoreLocation;
}

/**
 * Pairs the broker and the store. The embedded queue lives in the store's file, so with a SQLite
 * broker both are one file (and the store is SQLite); with Redis the store is the backend (SQLite or
 * PostgreSQL), or `orchestra.db` in `defaultDir`.
 */
export function resolveLocations(broker: string | undefined, backend: string | undefined, baseDir: string, defaultDir = baseDir): Locations {
  const brokerAt = broker === undefined ? undefined : parseLocation(broker, baseDir, "broker");
  const storeAt = backend === undefined ? undefined : parseLocation(backend, baseDir, "backend");
  const fallback: SqliteLocation = { kind: "sqlite", path: resolve(defaultDir, "orchestra.db") };
  if (brokerAt?.kind === "redis") return { broker: brokerAt, store: storeAt ?? fallback };
  if (storeAt?.kind === "postgres") {
    throw new OrchestraError(
      ErrorCode.Config,
      "a PostgreSQL backend needs a Redis broker (--broker redis://…): the embedded queue lives in a SQLite store's file",
    );
  }
  if (brokerAt !== undefined && storeAt !== undefined && brokerAt.path !== storeAt.path) {
    throw new OrchestraError(
      ErrorCode.Config,
      `the embedded queue and store share one SQLite file, but broker is ${brokerAt.path} and backend is ${storeAt.path}`,
    );
  }
  const file = brokerAt ?? storeAt ?? fallback;
  return { broker: file, store: file };
}
