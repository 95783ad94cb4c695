import type { Instant } from "../timing/time.ts";
import { RequestValidationError } from "./errors.ts";
import type { ApiMetrics } from "./metrics.ts";
import type { ApiSource } from "./source.ts";

/** What every route group is given. */
export interface RouteContext {
  readonly source: ApiSource;
  readonly metrics: ApiMetrics;
  /** The orchestra's clock: "due in" is counted from it. */
  readonly now: () => Instant;
}

/** `["a,b", "c", "a"]` → `["a", "b", "c"]`: tags may be repeated parameters or comma-separated. */
export function tagList(tags: readonly string[] | undefined): string[] {
  const list = (tags ?? []).flatMap((tag) => tag.split(",")).map((tag) => tag.trim()).filter((tag) => tag !== "");
  return [...new Set(list)];
}

/** The tags of an action on several jobs: at least one, or the request is refused. */
export function selectorTags(tags: readonly string[] | undefined): string[] {
  const list = tagList(tags);
  if (list.length === 0) throw new RequestValidationError([{ in: "querystring", field: "tags", message: "must name at least one tag" }]);
  return list;
}
