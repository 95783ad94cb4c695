import { isIP } from "node:net";
import { ErrorCode } from "../errors/error-code.ts";
import { OrchestraError } from "../errors/orchestra-error.ts";

/** Where the REST API listens when no address is given: this machine only. */
export const DEFAULT_API_ADDRESS = "127.0.0.1:5000";

/** The environment variable that holds the API token when `apiToken` is not given. */
export const API_TOKEN_VARIABLE = "ORCHESTRA_API_TOKEN";

/** The REST API's settings once checked: where to listen and which token every protected request needs. */
export interface ApiSettings {
  /** A host name or IP address, without brackets (`127.0.0.1`, `::1`, `0.0.0.0`). */
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** null: no authentication (allowed on loopback addresses only). */
  readonly token: string | null;
}

export interface ApiSettingsInput {
  readonly apiAddress?: string | undefined;
  readonly apiToken?: string | undefined;
}

/**
 * Checks the API's address and token before anything starts. Safe by default: without a token the API
 * may only listen on a loopback address, where only this machine can reach it.
 *
 * @example
 * resolveApiSettings({ apiAddress: "0.0.0.0:8080" }, { ORCHESTRA_API_TOKEN: "s3cret" });
 * // { host: "0.0.0.0", port: 8080, token: "s3cret" }
 */
export function resolveApiSettings(input: ApiSettingsInput, env: Readonly<Record<string, string | undefined>>): ApiSettings {
  const { host, port } = parseApiAddress(input.apiAddress ?? DEFAULT_API_ADDRESS);
  if (input.apiToken !== undefined && input.apiToken.trim() === "") {
    throw new OrchestraError(ErrorCode.Config, "the API token is empty: give a secret, or no token at all");
  }
  const fromEnv = env[API_TOKEN_VARIABLE];
  const token = input.apiToken ?? (fromEnv === undefined || fromEnv.trim() === "" ? null : fromEnv);
  if (token === null && !isLoopback(host)) {
    throw new OrchestraError(
      ErrorCode.Config,
      `refusing to serve the REST API on ${formatAddress(host, port)} without a token: anyone who can reach that address could ` +
        `create, trigger and delete jobs. Set a token (apiToken, --api-token or ${API_TOKEN_VARIABLE}), or listen on 127.0.0.1`,
    );
  }
  return { host, port, token };
}

/** `127.0.0.1:5000`, `localhost:8080`, `[::1]:5000`, `0.0.0.0:0` → host and port. */
export function parseApiAddress(address: string): { host: string; port: number } {
  return parseListenAddress(address, "API");
}

/** Where a server of ours listens (`what`: "API", "metrics"), as HOST:PORT; port 0 picks a free one. */
export function parseListenAddress(address: string, what: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(address.trim());
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (match === null || host === undefined || !Number.isInteger(port) || port > 65_535 || (match[1] !== undefined && isIP(host) !== 6)) {
    throw new OrchestraError(ErrorCode.Config, `invalid ${what} address "${address}": expected HOST:PORT, such as 127.0.0.1:5000 or [::1]:5000`);
  }
  return { host, port };
}

/** Whether only this machine can reach the address: 127.0.0.0/8, ::1 or localhost. */
export function isLoopback(host: string): boolean {
  const name = host.toLowerCase();
  if (name === "localhost" || name === "::1" || name === "0:0:0:0:0:0:0:1") return true;
  if (name.startsWith("::ffff:")) return isLoopback(name.slice("::ffff:".length));
  return isIP(name) === 4 && name.startsWith("127.");
}

export function formatAddress(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
