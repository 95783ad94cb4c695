import type { FastifyPluginCallbackTypebox } from "@fastify/type-provider-typebox";
import type { RouteContext } from "../context.ts";
import { presentRun, presentRunDetail } from "../present.ts";
import { errorResponses, JobNameParams, RunDetail, RunList, RunListQuery, RunParams } from "../schemas.ts";

const DEFAULT_PAGE_SIZE = 20;

/** A job's run history: a page at a time, newest first, and one run. */
export const runRoutes: FastifyPluginCallbackTypebox<RouteContext> = (app, { source }, done) => {
  app.get(
    "/api/jobs/:name/runs",
    {
      schema: {
        tags: ["runs"],
        summary: "A job's runs",
        description: "Newest first, a page at a time; optionally only the runs of one status. Each attempt is one run.",
        params: JobNameParams,
        querystring: RunListQuery,
        response: { 200: RunList, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { name } = request.params;
      const page = request.query.page ?? 1;
      const pageSize = request.query.pageSize ?? DEFAULT_PAGE_SIZE;
      const { status } = request.query;
      const filter = status === undefined ? {} : { status };
      const [runs, total] = await Promise.all([source.getRuns(name, { page, pageSize, ...filter }), source.countRuns(name, filter)]);
      return { job: name, page, pageSize, total, runs: runs.map(presentRun) };
    },
  );

  app.get(
    "/api/jobs/:name/runs/:id",
    {
      schema: {
        tags: ["runs"],
        summary: "One run of a job",
        description: "With the task's result, or its error and stack trace.",
        params: RunParams,
        response: { 200: RunDetail, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => presentRunDetail(await source.getRun(request.params.name, request.params.id)),
  );
  done();
};
