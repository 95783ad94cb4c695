import { resolveTaskOptions, type ResolvedTaskOptions, type TaskOptions } from "./options.ts";

/**
 * The mark `task()` puts on a function, holding its resolved options. A registry symbol
 * (`Symbol.for`), not a module-local one: a task module may import its own copy of Orchestra (its
 * node_modules, or the worker's TypeScript loader), and the mark must still be recognised.
 */
export const TASK_MARK: unique symbol = Symbol.for("orchestra.task") as never;

/** Any function: tasks are called with the job's arguments, which the type system cannot see. */
export type AnyFunction = (...args: never[]) => unknown;

/** A function marked by `task()`: still the same function, still callable as before. */
export type Task<F extends AnyFunction = AnyFunction> = F & { readonly [TASK_MARK]: ResolvedTaskOptions };

/**
 * Marks a function as a task with retry, backoff and timeout settings, and returns the function itself
 * (not a wrapper), so calling it directly in a test runs it as written. Exporting a plain function is
 * enough to schedule it; `task()` only adds options. Options are checked here, at import time.
 *
 * @example
 * export const resize = task({ retries: 3, backoff: { delay: 5 }, timeout: 60 }, async (path: string) => {
 *   const { signal } = currentTask() ?? {};
 *   …
 * });
 * export const ping = task(() => "pong");
 */
export function task<F extends AnyFunction>(fn: F): Task<F>;
export function task<F extends AnyFunction>(options: TaskOptions, fn: F): Task<F>;
export function task<F extends AnyFunction>(first: TaskOptions | F, second?: F): Task<F> {
  const fn = typeof first === "function" ? first : second;
  if (typeof fn !== "function") {
    throw new TypeError("task() takes a function, or options then a function: task({ retries: 3 }, fn)");
  }
  const options = resolveTaskOptions(typeof first === "function" ? undefined : first, fn.name);
  Object.defineProperty(fn, TASK_MARK, { value: options, enumerable: false, configurable: true, writable: false });
  return fn as Task<F>;
}

/** Whether `value` was marked by `task()` (of this or any other copy of Orchestra). */
export function isTask(value: unknown): value is Task {
  return typeof value === "function" && TASK_MARK in value;
}

/**
 * The options of a function: those `task()` put on it (checked again, since another copy or version
 * of Orchestra may have written them), or the defaults for a plain function.
 */
export function taskOptionsOf(fn: AnyFunction, exportName?: string): ResolvedTaskOptions {
  return isTask(fn) ? resolveTaskOptions(fn[TASK_MARK], exportName ?? fn.name) : resolveTaskOptions(undefined);
}
