import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifySchema } from "fastify";
import { readFileSync } from "node:fs";
import { isPublicRoute } from "./auth.ts";
import { ErrorBody } from "./schemas.ts";

/** The package's version, for the document's `info` (package.json is two folders up from src/api and dist/api). */
function packageVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
    return typeof manifest.version === "string" ? manifest.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}

/**
 * The OpenAPI 3 document, built from the routes' own schemas, at /openapi.json, and Swagger UI at
 * /docs. Both are public: they describe the API and hold no data. Register before the routes, so the
 * document sees them.
 */
export async function registerDocs(app: FastifyInstance, options: { readonly secured: boolean }): Promise<void> {
  await app.register(swagger, {
    transform: ({ schema, url }) => ({ schema: withCommonErrors(schema, url, options.secured), url }),
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Orchestra",
        version: packageVersion(),
        description:
          "The REST API of the Orchestra job scheduler. Errors are `{ error, message, details? }` with a stable `error` code." +
          (options.secured ? " Every route but the documentation needs `Authorization: Bearer <token>`." : ""),
      },
      tags: [
        { name: "jobs", description: "The jobs and their tags" },
        { name: "job actions", description: "Pause, resume, trigger and delete, one job or every job with some tags" },
        { name: "runs", description: "A job's run history" },
        { name: "system", description: "Health and metrics" },
      ],
      ...(options.secured
        ? { components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } }, security: [{ bearerAuth: [] }] }
        : {}),
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, () => app.swagger());
}

function errorAnswer(description: string): typeof ErrorBody {
  return Type.Object(ErrorBody.properties, { description });
}

/**
 * The answers any route may give beside its own, added to each route's documentation here rather than
 * repeated in every route: the token's 401 (without a token, the browser guard's 403), a path
 * parameter's 400, a body's 413 and 415, the store's 503.
 */
function withCommonErrors(schema: FastifySchema, url: string, secured: boolean): FastifySchema {
  if (isPublicRoute(url)) return schema;
  const response: Record<string, unknown> = { ...(schema.response as Record<string, unknown> | undefined) };
  const add = (status: number, description: string): void => {
    response[String(status)] ??= errorAnswer(description);
  };
  if (schema.params !== undefined) add(400, "Invalid path parameter (an empty name, a run id that is not a number)");
  if (secured) add(401, "No bearer token, or not the right one");
  else add(403, "Sent by a web page of another origin, or addressed to a Host that is not localhost, 127.0.0.1 or [::1]");
  if (schema.body !== undefined) {
    add(413, "The body is over 1 MiB");
    add(415, "The body is not application/json");
  }
  add(503, "The store is locked by another process or unreachable: try again");
  return { ...schema, response };
}
