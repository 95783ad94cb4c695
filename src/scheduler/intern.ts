import type { DispatchOptions } from "../jobs/definition.ts";
import { jobFromRow, type RowValues, type StoredJob } from "../store/jobs.ts";
import type { JobRow } from "../store/schema.ts";

/**
 * Reads job rows into StoredJobs that share what jobs have in common. Each row read from the store
 * brings its own copies of the module path, task, timing, zone and source, and its own parsed tags
 * and options; with 100k jobs on a handful of modules and timings those copies would be most of the
 * scheduler's memory. One reader keeps one copy of each distinct value (frozen, as they are shared).
 */
export function internedJobReader(): (row: JobRow) => StoredJob {
  const strings = new Map<string, string>();
  const tags = new Map<string, readonly string[]>();
  const options = new Map<string, DispatchOptions>();
  const text = (value: string): string => {
    const kept = strings.get(value);
    if (kept !== undefined) return kept;
    strings.set(value, value);
    return value;
  };
  const parsed = <T extends object>(cache: Map<string, T>, json: string): T => {
    let value = cache.get(json);
    if (value === undefined) {
      value = deepFreeze(JSON.parse(json) as T);
      cache.set(json, value);
    }
    return value;
  };
  const shared: RowValues = {
    text,
    tags: (json) => parsed(tags, json),
    // Options unique to one job (its own args, say) gain nothing from sharing; the key would double them.
    options: (json) => (json.length > 200 ? (JSON.parse(json) as DispatchOptions) : parsed(options, json)),
  };
  return (row) => jobFromRow(row, shared);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
