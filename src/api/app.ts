import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import type { Instant } from "../timing/time.ts";
import { bearerAuth } from "./auth.ts";
import { browserGuard } from "./browser-guard.ts";
import { answerClientError } from "./client-errors.ts";
import type { RouteContext } from "./context.ts";
import { registerDocs } from "./docs.ts";
import { errorReply, methodNotAllowed, routeNotFound } from "./errors.ts";
import { ApiMetrics } from "./metrics.ts";
import { RouteMethods } from "./route-methods.ts";
import { healthRoutes } from "./routes/health.ts";
import { jobActionRoutes } from "./routes/job-actions.ts";
import { jobRoutes } from "./routes/jobs.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { runRoutes } from "./routes/runs.ts";
import { tagRoutes } from "./routes/tags.ts";
import type { ApiSource } from "./source.ts";
import { validatorCompiler } from "./validation.ts";

export interface ApiAppOptions {
  /** What the API reads and changes: an Orchestra. */
  readonly source: ApiSource;
  /** Every route but the documentation needs `Authorization: Bearer <token>`; null or absent: none does. */
  readonly token?: string | null;
  /** Fed with the orchestra's events; a fresh one (counting nothing) when absent. */
  readonly metrics?: ApiMetrics;
  /** Default Date.now. */
  readonly now?: () => Instant;
  /** An unexpected failure while answering a request (answered 500, without its details). */
  readonly onError?: (error: unknown, request: { readonly method: string; readonly url: string }) => void;
}

/**
 * The REST API as a Fastify instance, ready but not listening: `app.inject()` in tests, `app.listen()`
 * (see ApiServer) to serve it.
 *
 * @example
 * const app = await createApiApp({ source: orchestra, token: process.env.ORCHESTRA_API_TOKEN ?? null });
 * const response = await app.inject({ url: "/api/jobs", headers: { authorization: "Bearer …" } });
 */
export async function createApiApp(options: ApiAppOptions): Promise<FastifyInstance> {
  const token = options.token ?? null;
  const onError = options.onError ?? (() => undefined);
  const app = Fastify({
    logger: false,
    clientErrorHandler: answerClientError,
    // A URL that cannot even be decoded never reaches the error handler: answer it the same way.
    frameworkErrors: (error, _request, reply) => {
      const { status, body } = errorReply(error);
      void (reply as FastifyReply).code(status).send(body);
    },
  })
    .setValidatorCompiler(validatorCompiler)
    .withTypeProvider<TypeBoxTypeProvider>();

  // JSON only: a text/plain body is what a web page can send without asking first (see browserGuard).
  app.removeContentTypeParser("text/plain");
  // An action without a body may still say `Content-Type: application/json`: take that as no body.
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text === "") done(null, undefined);
    else void parseJson(request, text, done);
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, body, unexpected } = errorReply(error);
    if (unexpected) onError(error, { method: request.method, url: request.url });
    return reply.code(status).send(body);
  });
  // Noted before any route is registered, for the not-found handler's 405 (see RouteMethods).
  const routes = new RouteMethods();
  app.addHook("onRoute", (route) => {
    routes.add(route.method, route.url);
  });
  app.setNotFoundHandler((request, reply) => {
    const allowed = routes.allowedFor(request.url);
    if (allowed.length === 0) return reply.code(404).send(routeNotFound(request.method, request.url));
    return reply.code(405).header("allow", allowed.join(", ")).send(methodNotAllowed(request.method, request.url, allowed));
  });
  // Without a token, web pages are kept out (see browserGuard); with one, the token does it.
  if (token === null) app.addHook("onRequest", browserGuard());
  else app.addHook("onRequest", bearerAuth(token));

  await registerDocs(app, { secured: token !== null });
  const context: RouteContext = { source: options.source, metrics: options.metrics ?? new ApiMetrics(), now: options.now ?? Date.now };
  await app.register(jobRoutes, context);
  await app.register(jobActionRoutes, context);
  await app.register(runRoutes, context);
  await app.register(tagRoutes, context);
  await app.register(healthRoutes, context);
  await app.register(metricsRoutes, context);
  await app.ready();
  return app;
}
