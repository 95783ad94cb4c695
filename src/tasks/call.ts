/**
 * The calling convention of a task, the one every worker follows:
 *
 * - a task is called as `fn(...args)`, or `fn(...args, kwargs)` when `kwargs` has at least one key
 *   (the seed's Python `f(*args, **kwargs)`: named arguments arrive as one object after the positional
 *   ones, so a task that takes none never receives an empty `{}`);
 * - it may return a value or a promise; what it resolves to must be JSON-serialisable (`undefined`
 *   counts as no result), because it is stored with the run;
 * - a thrown error (or rejected promise) fails the attempt; the task's `retries` decide what follows;
 * - inside the call, `currentTask()` gives the job name, run id, attempt and an AbortSignal.
 */

/** The arguments a task receives for positional `args` and named `kwargs`. */
export function taskArguments(args: readonly unknown[] = [], kwargs?: Readonly<Record<string, unknown>> | null): unknown[] {
  return kwargs !== undefined && kwargs !== null && Object.keys(kwargs).length > 0 ? [...args, kwargs] : [...args];
}

/**
 * Calls a task by the convention above and awaits its result.
 *
 * @example
 * await callTask(add, [1, 2]);                  // add(1, 2)
 * await callTask(send, ["a@b.c"], { cc: true }); // send("a@b.c", { cc: true })
 */
export async function callTask(
  fn: (...args: never[]) => unknown,
  args: readonly unknown[] = [],
  kwargs?: Readonly<Record<string, unknown>> | null,
): Promise<unknown> {
  return await (fn as (...args: unknown[]) => unknown)(...taskArguments(args, kwargs));
}
