import { isAbsolute, resolve } from "node:path";
import { OrchestraError } from "../errors/orchestra-error.ts";
import { ErrorCode } from "../errors/error-code.ts";

/** Where the broker and the store live, parsed from the user's connection strings. */
export type Location = { readonly kind: "sqlite"; readonly path: string };

/**
 * Reads a broker or backend string: `sqlite:///abs/path.db`, `sqlite:///./rel.db`, the seed's
 * `sqla+sqlite:///log.db`, or a bare file path. Relative paths resolve against `baseDir`.
 */
export function parseLocation(value: string, baseDir: string, role: "broker" | "backend"): Location {
  const match = /^(?:sqla\+)?sqlite:\/\/(\/?)(.*)$/i.exec(value);
  if (match !== null) {
    const path = match[2] ?? "";
    if (path === ":memory:") return { kind: "sqlite", path };
    // sqlite:///log.db is relative in SQLAlchemy's reading (three slashes), sqlite:////abs/log.db absolute.
    const file = path.startsWith("/") ? path : resolve(baseDir, path);
    return { kind: "sqlite", path: file };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    const scheme = value.split(":")[0] ?? "";
    throw new OrchestraError(
      ErrorCode.Config,
      `unsupported ${role} "${scheme}://…": this version runs on SQLite (sqlite:///path.db or a file path)`,
    );
  }
  return { kind: "sqlite", path: isAbsolute(value) ? value : resolve(baseDir, value) };
}
