import { TaskLoadError } from "../errors/task-load-error.ts";
import { suggest } from "../timing/suggest.ts";
import type { TaskModule } from "./load.ts";
import type { ResolvedTaskOptions } from "./options.ts";
import { taskOptionsOf, type AnyFunction } from "./task.ts";

/** A task ready to call (see `callTask` for the convention) with its options. */
export interface ResolvedTask {
  /** The export name. */
  readonly name: string;
  readonly fn: AnyFunction;
  readonly options: ResolvedTaskOptions;
}

/**
 * The task exported by a module under `exportName`: a plain exported function (default options) or
 * one marked by `task()`. Anything else is a TaskLoadError, with a did-you-mean over the module's
 * exported functions when the name looks like a typo. Invalid options on a `task()` mark surface here
 * as a TaskOptionsError.
 *
 * @example
 * resolveTask(await loadTaskModule("./tasks.ts", { baseDir }), "short_task").options.retries; // 0
 */
export function resolveTask(module: TaskModule, exportName: string): ResolvedTask {
  const value = exportOf(module, exportName);
  if (typeof value === "function") {
    const fn = value as AnyFunction;
    return { name: exportName, fn, options: taskOptionsOf(fn, exportName) };
  }
  if (value !== undefined) {
    throw new TaskLoadError(`export "${exportName}" of "${module.specifier}" is not a function but ${kindOf(value)}`, {
      module: module.specifier,
      exportName,
    });
  }
  const candidates = functionExports(module);
  const suggestion = suggest(exportName, candidates);
  const hint =
    suggestion !== undefined
      ? `; did you mean "${suggestion}"?`
      : candidates.length > 0
        ? ` (it exports ${candidates.slice(0, 10).join(", ")}${candidates.length > 10 ? ", …" : ""})`
        : " (it exports no function)";
  throw new TaskLoadError(`module "${module.specifier}" has no export "${exportName}"${hint}`, {
    module: module.specifier,
    exportName,
    suggestion,
  });
}

/** The names of the module's exported functions (tasks or not), sorted. */
export function functionExports(module: TaskModule): string[] {
  const names = new Set<string>();
  for (const [name, value] of exportEntries(module)) if (typeof value === "function") names.add(name);
  return [...names].sort();
}

/**
 * A named export, or else a property of the default export when that is an object: how Node exposes
 * a CommonJS module whose export names it could not detect (`module.exports = { … }` built at run time).
 */
function exportOf(module: TaskModule, name: string): unknown {
  if (Object.hasOwn(module.exports, name)) return module.exports[name];
  const commonJs = commonJsExports(module);
  return commonJs !== undefined && Object.hasOwn(commonJs, name) ? commonJs[name] : undefined;
}

function exportEntries(module: TaskModule): [string, unknown][] {
  const entries = Object.entries(module.exports);
  const commonJs = commonJsExports(module);
  return commonJs === undefined ? entries : [...entries, ...Object.entries(commonJs)];
}

function commonJsExports(module: TaskModule): Record<string, unknown> | undefined {
  const fallback = module.exports.default;
  return typeof fallback === "object" && fallback !== null ? (fallback as Record<string, unknown>) : undefined;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  const type = typeof value;
  return type === "object" ? "an object" : `a ${type}`;
}
