import type { FastifyPluginCallbackTypebox } from "@fastify/type-provider-typebox";
import type { RouteContext } from "../context.ts";
import { errorResponses, TagList } from "../schemas.ts";

/** The tags in use. */
export const tagRoutes: FastifyPluginCallbackTypebox<RouteContext> = (app, { source }, done) => {
  app.get(
    "/api/tags",
    {
      schema: {
        tags: ["jobs"],
        summary: "The tags in use",
        description: "Each tag some stored job carries, by name, with how many jobs carry it.",
        response: { 200: TagList, ...errorResponses(401) },
      },
    },
    async () => ({ tags: await source.getTags() }),
  );
  done();
};
