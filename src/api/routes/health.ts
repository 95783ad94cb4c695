import type { FastifyPluginCallbackTypebox } from "@fastify/type-provider-typebox";
import type { RouteContext } from "../context.ts";
import { errorResponses, Health } from "../schemas.ts";

/** Liveness: the store and the broker each answer a trivial query. */
export const healthRoutes: FastifyPluginCallbackTypebox<RouteContext> = (app, { source }, done) => {
  app.get(
    "/api/health",
    {
      schema: {
        tags: ["system"],
        summary: "Whether the store and the broker are reachable",
        description: "200 when both answer, 503 when either does not (with its error).",
        response: { 200: Health, 503: Health, ...errorResponses(401) },
      },
    },
    async (_request, reply) => {
      const report = await source.health();
      const body = { status: report.ok ? ("ok" as const) : ("unavailable" as const), store: report.store, broker: report.broker };
      return reply.code(report.ok ? 200 : 503).send(body);
    },
  );
  done();
};
