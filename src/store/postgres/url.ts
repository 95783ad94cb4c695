import { ErrorCode } from "../../errors/error-code.ts";
import { OrchestraError } from "../../errors/orchestra-error.ts";
import { portProblem } from "../../config/port.ts";
import { suggest } from "../../timing/suggest.ts";

/** A PostgreSQL store's address, read from its URL once. */
export interface PostgresAddress {
  /** What the `pg` driver connects with: the URL, its `schema` parameter turned into the connections' search_path. */
  readonly connectionString: string;
  /** The schema that holds the store's tables (and its migration ledger). */
  readonly schema: string;
  /** The URL for messages, with its password masked. */
  readonly display: string;
}

/** Lower-case, so that it means the same quoted and unquoted (psql's `\dn`, `set search_path`). */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Reads `postgresql://user:password@host:port/database?schema=name` (or `postgres://`). The schema
 * comes from `schema` if given, else the URL's `schema` parameter, else `public`. The driver's own
 * parameters (`sslmode`, `application_name`, `host=/run/postgresql` for a socket …) go to it
 * unchanged; any other is refused, with a "did you mean" when one is close.
 */
export function parsePostgresUrl(value: string, schema?: string): PostgresAddress {
  const badPort = portProblem(value);
  if (badPort !== undefined) throw new OrchestraError(ErrorCode.Config, `invalid PostgreSQL URL "${mask(value)}": ${badPort}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new OrchestraError(ErrorCode.Config, `not a PostgreSQL URL: "${mask(value)}" (${error instanceof Error ? error.message : String(error)})`);
  }
  if (url.protocol !== "postgresql:" && url.protocol !== "postgres:") {
    throw new OrchestraError(ErrorCode.Config, `not a PostgreSQL URL: "${mask(value)}" (expected postgresql:// or postgres://)`);
  }
  for (const key of url.searchParams.keys()) {
    if (!URL_PARAMETERS.includes(key)) throw new OrchestraError(ErrorCode.Config, `invalid PostgreSQL URL "${mask(value)}": ${unknownParameter(key)}`);
  }
  const chosen = schema ?? url.searchParams.get("schema") ?? "public";
  if (!SCHEMA_NAME.test(chosen)) {
    throw new OrchestraError(
      ErrorCode.Config,
      `invalid PostgreSQL schema name "${chosen}": use lower-case letters, digits and _ (at most 63, not starting with a digit)`,
    );
  }
  const shown = new URL(url);
  if (shown.password !== "") shown.password = "***";
  shown.searchParams.set("schema", chosen);
  url.searchParams.delete("schema");
  // The server sets search_path as it opens each connection (a startup option, added to the URL's
  // own), so that no connection, also one made after a reconnect, ever sees another schema first.
  const options = [url.searchParams.get("options"), `-c search_path=${chosen}`].filter((part) => part !== null).join(" ");
  url.searchParams.set("options", options);
  return { connectionString: url.toString(), schema: chosen, display: shown.toString() };
}

/**
 * The parameters a URL may carry: Orchestra's `schema`, and those the `pg` driver reads from its
 * connection string. Any other one it drops without a word, so a typo (`?schem=qa`) put the tables in
 * `public`; libpq's own (`connect_timeout`, `target_session_attrs`) are not read by this driver either.
 */
const URL_PARAMETERS: readonly string[] = [
  "schema",
  "host",
  "port",
  "user",
  "password",
  "database",
  "options",
  "application_name",
  "fallback_application_name",
  "client_encoding",
  "ssl",
  "sslmode",
  "sslcert",
  "sslkey",
  "sslrootcert",
  "sslnegotiation",
  "uselibpqcompat",
  "statement_timeout",
  "lock_timeout",
  "idle_in_transaction_session_timeout",
  "query_timeout",
  "binary",
  "replication",
];

function unknownParameter(key: string): string {
  const close = suggest(key, URL_PARAMETERS);
  return close === undefined ? `unknown parameter "${key}" (known: ${URL_PARAMETERS.join(", ")})` : `unknown parameter "${key}"; did you mean "${close}"?`;
}

/** The text of an unparsable URL, with anything that looks like a password masked. */
function mask(value: string): string {
  return value.replace(/(\/\/[^:/@]*:)[^@]*@/, "$1***@");
}
