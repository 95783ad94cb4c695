import type { FastifyPluginCallbackTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { RouteContext } from "../context.ts";

/** Prometheus metrics, in the text exposition format. */
export const metricsRoutes: FastifyPluginCallbackTypebox<RouteContext> = (app, { source, metrics }, done) => {
  app.get(
    "/metrics",
    {
      schema: {
        tags: ["system"],
        summary: "Prometheus metrics",
        description:
          "orchestra_jobs{state} (read from the store), and since this process started: orchestra_dispatches_total{origin}, " +
          "orchestra_missed_total, orchestra_run_successes_total, orchestra_run_failures_total, orchestra_run_duration_seconds " +
          "(this process's worker) and the " +
          "orchestra_dispatch_lateness_seconds histogram. Needs the token when one is set.",
        produces: ["text/plain"],
        // A 401 (JSON) when the token is missing: left out here, as the route answers text/plain.
        response: { 200: Type.String({ description: "Prometheus text format 0.0.4" }) },
      },
    },
    async (_request, reply) => {
      const text = await metrics.render(await source.countJobs());
      return reply.type(metrics.contentType).serializer((payload) => String(payload)).send(text);
    },
  );
  done();
};
