import type { FastifyPluginCallbackTypebox } from "@fastify/type-provider-typebox";
import { argumentsProblem } from "../../jobs/arguments.ts";
import type { JobView } from "../../jobs/view.ts";
import { tagList, type RouteContext } from "../context.ts";
import { RequestValidationError, type FieldProblem } from "../errors.ts";
import { presentJob } from "../present.ts";
import { CreateJobBody, errorResponses, Job, JobList, JobListQuery, JobNameParams } from "../schemas.ts";

/** The jobs themselves: list, one, create, delete. */
export const jobRoutes: FastifyPluginCallbackTypebox<RouteContext> = (app, { source, now }, done) => {
  app.get(
    "/api/jobs",
    {
      schema: {
        tags: ["jobs"],
        summary: "List the jobs",
        description: "Every job, stored or in-process, filtered by tags (all of them, or any with anyTag=true), state and a name fragment.",
        querystring: JobListQuery,
        response: { 200: JobList, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const { tags, anyTag, state, name } = request.query;
      const jobs = await source.getJobs({
        tags: tagList(tags),
        ...(anyTag === undefined ? {} : { anyTag }),
        ...(state === undefined ? {} : { state: capitalized(state) }),
        ...(name === undefined ? {} : { name }),
      });
      const at = now();
      return { jobs: jobs.map((job) => presentJob(job, at)) };
    },
  );

  app.post(
    "/api/jobs",
    {
      schema: {
        tags: ["jobs"],
        summary: "Create a job",
        description:
          "Stores a job (source `api`): it survives a restart. The timing and zone are checked, and the module must load and export the task. " +
          "A bad timing answers 400 with the column and word at fault (`details`).",
        body: CreateJobBody,
        response: { 201: Job, ...errorResponses(400, 401, 409) },
      },
    },
    async (request, reply) => {
      checkCreateBody(request.body);
      const job = await source.scheduleTask(request.body, { source: "api", checkTask: true });
      return reply.code(201).header("location", `/api/jobs/${encodeURIComponent(job.name)}`).send(presentJob(job, now()));
    },
  );

  app.get(
    "/api/jobs/:name",
    {
      schema: {
        tags: ["jobs"],
        summary: "One job",
        params: JobNameParams,
        response: { 200: Job, ...errorResponses(401, 404) },
      },
    },
    async (request) => presentJob(await source.getJob(request.params.name), now()),
  );

  app.delete(
    "/api/jobs/:name",
    {
      schema: {
        tags: ["jobs"],
        summary: "Delete a job",
        description: "Stops its schedule and removes it from the store; its runs stay in the history. Answers 204.",
        params: JobNameParams,
        response: { 204: { type: "null", description: "Deleted" }, ...errorResponses(401, 404) },
      },
    },
    async (request, reply) => {
      await source.deleteJob(request.params.name);
      return reply.code(204).send();
    },
  );
  done();
};

/** What the schema cannot say: one field against another, and how deep and large args and kwargs are. */
function checkCreateBody(body: CreateJobBody): void {
  const problems: FieldProblem[] = [];
  for (const key of ["args", "kwargs"] as const) {
    const value = body.options?.[key];
    const problem = value === undefined ? undefined : argumentsProblem(value);
    if (problem !== undefined) problems.push({ in: "body", field: `options.${key}`, message: problem });
  }
  const countdown = body.options?.countdown;
  const expires = body.options?.expires;
  if (countdown !== undefined && expires !== undefined && expires <= countdown) {
    problems.push({ in: "body", field: "options.expires", message: `must be greater than countdown (${countdown} s), or every run would expire before it may start` });
  }
  if (body.maxCatchup !== undefined && body.missed !== "all") {
    problems.push({ in: "body", field: "maxCatchup", message: `applies only with missed: "all" (this job has missed: "${body.missed ?? "once"}")` });
  }
  if (problems.length > 0) throw new RequestValidationError(problems);
}

const STATES: Readonly<Record<string, JobView["state"]>> = { running: "Running", paused: "Paused", done: "Done" };

/** The schema lets through the three states in either case. */
function capitalized(state: string): JobView["state"] {
  return STATES[state.toLowerCase()] ?? "Running";
}
