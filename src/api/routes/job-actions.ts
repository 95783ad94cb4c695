import type { FastifyPluginCallbackTypebox } from "@fastify/type-provider-typebox";
import { selectorTags, type RouteContext } from "../context.ts";
import { presentStateChange } from "../present.ts";
import { DeletedList, errorResponses, JobNameParams, StateChange, StateChanges, TagSelectorQuery, Triggered, TriggeredList } from "../schemas.ts";

const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Pause, resume and trigger one job; and the same, plus delete, on every job with some tags. The
 * several-jobs routes take their selector in the query string (`?tags=a,b&anyTag=true`), like the
 * list's filters, and at least one tag: an empty selector never means "all jobs".
 */
export const jobActionRoutes: FastifyPluginCallbackTypebox<RouteContext> = (app, { source }, done) => {
  app.put(
    "/api/jobs/:name/pause",
    {
      schema: {
        tags: ["job actions"],
        summary: "Pause a job",
        description: "Nothing is dispatched until it is resumed. Pausing a paused job changes nothing and answers 200 (changed: false).",
        params: JobNameParams,
        response: { 200: StateChange, ...errorResponses(401, 404) },
      },
    },
    async (request) => presentStateChange(await source.pauseJob(request.params.name)),
  );

  app.put(
    "/api/jobs/:name/resume",
    {
      schema: {
        tags: ["job actions"],
        summary: "Resume a job",
        description: "It fires next at its next due instant from now: what fell due while it was paused is not replayed. Resuming a running job answers 200 (changed: false).",
        params: JobNameParams,
        response: { 200: StateChange, ...errorResponses(401, 404) },
      },
    },
    async (request) => presentStateChange(await source.resumeJob(request.params.name)),
  );

  app.post(
    "/api/jobs/:name/trigger",
    {
      schema: {
        tags: ["job actions"],
        summary: "Run a job now",
        description: "Sends one occurrence to the queue now, outside the schedule (also for a paused or done job). Answers 202: a worker runs it.",
        params: JobNameParams,
        response: { 202: Triggered, ...errorResponses(401, 404) },
      },
    },
    async (request, reply) => {
      const occurrenceId = await source.triggerJob(request.params.name);
      return reply.code(202).send({ name: request.params.name, occurrenceId });
    },
  );

  app.post(
    "/api/jobs/pause",
    {
      schema: {
        tags: ["job actions"],
        summary: "Pause the jobs with tags",
        querystring: TagSelectorQuery,
        response: { 200: StateChanges, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const changes = await source.pauseJobsWithTags(selectorTags(request.query.tags), { anyTag: request.query.anyTag ?? false });
      return { jobs: changes.map(presentStateChange).sort(byName) };
    },
  );

  app.post(
    "/api/jobs/resume",
    {
      schema: {
        tags: ["job actions"],
        summary: "Resume the jobs with tags",
        querystring: TagSelectorQuery,
        response: { 200: StateChanges, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const changes = await source.resumeJobsWithTags(selectorTags(request.query.tags), { anyTag: request.query.anyTag ?? false });
      return { jobs: changes.map(presentStateChange).sort(byName) };
    },
  );

  app.post(
    "/api/jobs/trigger",
    {
      schema: {
        tags: ["job actions"],
        summary: "Run the jobs with tags now",
        querystring: TagSelectorQuery,
        response: { 202: TriggeredList, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const triggered = await source.triggerJobsWithTags(selectorTags(request.query.tags), { anyTag: request.query.anyTag ?? false });
      return reply.code(202).send({ jobs: triggered.sort(byName) });
    },
  );

  app.delete(
    "/api/jobs",
    {
      schema: {
        tags: ["job actions"],
        summary: "Delete the jobs with tags",
        description: "Their runs stay in the history.",
        querystring: TagSelectorQuery,
        response: { 200: DeletedList, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const deleted = await source.deleteJobsWithTags(selectorTags(request.query.tags), { anyTag: request.query.anyTag ?? false });
      return { deleted: deleted.sort() };
    },
  );
  done();
};
