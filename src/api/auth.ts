import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { HttpErrorCode, type ErrorBody } from "./errors.ts";

/**
 * Whether a request may see a route without the token: the documentation, which describes the API but
 * holds no data. Decided by the route's pattern, not the raw URL, so no spelling of a path gets around it.
 */
export function isPublicRoute(pattern: string | undefined): boolean {
  return pattern !== undefined && (pattern === "/openapi.json" || pattern === "/docs" || pattern.startsWith("/docs/"));
}

/**
 * An onRequest hook that answers 401 unless the request carries `Authorization: Bearer <token>`. Both
 * sides are hashed before the constant-time comparison, so neither the token's content nor its length
 * shows in the response time.
 */
export function bearerAuth(token: string): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const expected = digest(token);
  return async (request, reply) => {
    if (isPublicRoute(request.routeOptions.url)) return;
    const given = bearerTokenOf(request.headers.authorization);
    if (given !== null && timingSafeEqual(digest(given), expected)) return;
    const body: ErrorBody = {
      error: HttpErrorCode.Unauthorized,
      message: given === null ? "this route needs an Authorization: Bearer <token> header" : "the bearer token is not valid",
    };
    await reply.code(401).header("www-authenticate", 'Bearer realm="orchestra"').send(body);
  };
}

/** The token of an `Authorization: Bearer <token>` header (the scheme in any case), or null. */
export function bearerTokenOf(header: string | undefined): string | null {
  const match = /^Bearer +(\S.*?) *$/i.exec(header ?? "");
  return match?.[1] ?? null;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
