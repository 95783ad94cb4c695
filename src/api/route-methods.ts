import { pathOf } from "./errors.ts";

/**
 * Which methods each registered path answers, so that a request whose path exists but whose method
 * does not is told so (405 and `Allow`), not that the route is missing: `POST /api/jobs/x/pause`
 * should say "use PUT". Fastify's router answers any unknown method with its not-found handler and
 * does not expose a lookup by concrete path, so the routes are noted as they are registered.
 */
export class RouteMethods {
  readonly #routes: { readonly pattern: RegExp; readonly methods: readonly string[] }[] = [];

  /** A registered route: its method(s) and its URL pattern (`/api/jobs/:name`, `/docs/*`). */
  add(method: string | readonly string[], url: string): void {
    this.#routes.push({ pattern: patternOf(url), methods: typeof method === "string" ? [method] : method });
  }

  /** The methods some route answers for this path (query string ignored), sorted; empty if none. */
  allowedFor(url: string): string[] {
    const path = pathOf(url);
    const methods = new Set<string>();
    for (const route of this.#routes) if (route.pattern.test(path)) for (const method of route.methods) methods.add(method);
    return [...methods].sort();
  }
}

/** `:param` is one path segment, `*` the rest of the path; everything else is literal. */
function patternOf(url: string): RegExp {
  const source = url
    .split("/")
    .map((segment) => {
      if (segment === "*") return ".*";
      if (segment.startsWith(":")) return "[^/]+";
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return new RegExp(`^${source}$`);
}
