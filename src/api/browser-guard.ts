import type { FastifyReply, FastifyRequest } from "fastify";
import { HttpErrorCode, type ErrorBody } from "./errors.ts";
import { isLoopback } from "./settings.ts";

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Keeps web pages away from an API without a token. Any page open in a browser on this machine can
 * send a request to 127.0.0.1 that needs no preflight (a form, a bodiless or text/plain POST), and a
 * page whose domain was re-pointed at 127.0.0.1 (DNS rebinding) can even read the answers; without a
 * token nothing else stops either. So:
 * - a request that changes something is refused when the browser says it comes from another site
 *   (`Sec-Fetch-Site`) or another origin (an `Origin` that is not the `Host`): the API's own /docs
 *   page is of the same origin, and clients that are not browsers send neither header;
 * - a request must be addressed to a loopback name (`localhost`, `127.0.0.1`, `[::1]`): a rebound
 *   domain arrives with its own name as `Host`.
 * With a token neither is needed (a page cannot attach it to a request to another origin without
 * CORS, which the API does not allow), and a proxy that rewrites `Host` would otherwise break /docs.
 */
export function browserGuard(): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    const refusal = refusalOf(request);
    if (refusal !== null) await reply.code(403).send({ error: HttpErrorCode.Forbidden, message: refusal } satisfies ErrorBody);
  };
}

function refusalOf(request: FastifyRequest): string | null {
  const host = headerOf(request, "host");
  if (!isLoopbackHost(host)) {
    return `requests addressed to ${host === undefined ? "no host" : `"${host}"`} are refused: without a token the API answers only requests to localhost, 127.0.0.1 or [::1] (a web page's domain pointed at this machine would otherwise reach it)`;
  }
  if (!UNSAFE_METHODS.has(request.method)) return null;
  const site = headerOf(request, "sec-fetch-site");
  const origin = headerOf(request, "origin");
  if (site === "cross-site" || site === "same-site" || (origin !== undefined && !sameOrigin(origin, host))) {
    return `a web page of another origin${origin === undefined ? "" : ` (${origin})`} may not change jobs: send the request from a client that is not a browser page, or from this API's own /docs`;
  }
  return null;
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Whether `Origin` (scheme://host[:port], or "null" for sandboxed pages and files) names the host the request was sent to. */
function sameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    return new URL(origin).host === new URL(`http://${host}`).host;
  } catch {
    return false; // "null", or not a URL
  }
}

/** A `Host` header naming this machine (see isLoopback; also `*.localhost`), with or without a port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  // The URL keeps an IPv6 address in brackets; names under .localhost are this machine's too (RFC 6761).
  const name = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  return name.endsWith(".localhost") || isLoopback(name);
}
