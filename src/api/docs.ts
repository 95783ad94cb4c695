import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { readFileSync } from "node:fs";

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
