import { isAbsolute, resolve } from "node:path";
import { OrchestraError } from "../errors/orchestra-error.ts";
import { ErrorCode } from "../errors/error-code.ts";

/** Where the broker and the store live, parsed from the user's connection strings. */
export type Location = SqliteLocation | PostgresLocation;

export interface SqliteLocation {
  readonly kind: "sqlite";
  readonly path: string;
}

/** A PostgreSQL store; `url` is kept whole (the store reads its `schema` parameter). */
export interface PostgresLocation {
  readonly kind: "postgres";
  readonly url: string;
}

/**
 * Reads a broker or backend string: `sqlite:///abs/path.db`, `sqlite:///./rel.db`, the seed's
 * `sqla+sqlite:///log.db`, or a bare file path; for a backend also `postgresql://…` or `postgres://…`.
 * Relative paths resolve against `baseDir`.
 */
export function parseLocation(value: string, baseDir: string, role: "broker"): SqliteLocation;
export function parseLocation(value: string, baseDir: string, role: "backend"): Location;
export function parseLocation(value: string, baseDir: string, role: "broker" | "backend"): Location {
  const match = /^(?:sqla\+)?sqlite:\/\/(\/?)(.*)$/i.exec(value);
  if (match !== null) {
    const path = match[2] ?? "";
    if (path === ":memory:") return { kind: "sqlite", path };
    // sqlite:///log.db is relative in SQLAlchemy's reading (three slashes), sqlite:////abs/log.db absolute.
    const file = path.startsWith("/") ? path : resolve(baseDir, path);
    return { kind: "sqlite", path: file };
  }
  if (/^postgres(?:ql)?:\/\//i.test(value)) {
    if (role === "backend") return { kind: "postgres", url: value };
    throw new OrchestraError(
      ErrorCode.Config,
      "PostgreSQL is a store of jobs and runs (a backend), not a task queue: the broker is a SQLite file in this version",
    );
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    const scheme = value.split(":")[0] ?? "";
    const supported = role === "backend" ? "SQLite (sqlite:///path.db or a file path) or PostgreSQL (postgresql://…)" : "SQLite (sqlite:///path.db or a file path)";
    throw new OrchestraError(ErrorCode.Config, `unsupported ${role} "${scheme}://…": this version runs on ${supported}`);
  }
  return { kind: "sqlite", path: isAbsolute(value) ? value : resolve(baseDir, value) };
}
