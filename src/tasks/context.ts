import { AsyncLocalStorage } from "node:async_hooks";

/** What a running task may learn about its run. */
export interface TaskContext {
  /** The job whose occurrence this run is. */
  readonly jobName: string;
  /** The run's id in the store (one per attempt). */
  readonly runId: number;
  /** 1 for the first attempt, 2 for the first retry, … */
  readonly attempt: number;
  /** Aborted when the run times out or the worker shuts down: pass it on to fetch, streams, timers. */
  readonly signal: AbortSignal;
}

/**
 * One storage per process, kept on `globalThis` under a registry symbol: the worker and the task
 * module may hold different copies of this file (the task module's own node_modules, or the
 * TypeScript loader's namespace), and `currentTask()` must see what `runWithTaskContext()` set.
 */
const STORAGE_KEY: unique symbol = Symbol.for("orchestra.taskContext");

function storage(): AsyncLocalStorage<TaskContext> {
  const holder = globalThis as { [STORAGE_KEY]?: AsyncLocalStorage<TaskContext> | undefined };
  let store = holder[STORAGE_KEY];
  if (store === undefined) {
    store = new AsyncLocalStorage<TaskContext>();
    holder[STORAGE_KEY] = store;
  }
  return store;
}

/**
 * The context of the task run that is executing, from anywhere in its call tree (also across awaits);
 * `undefined` outside a run, so a task called directly (in a test, a script) still works.
 *
 * @example
 * export async function fetchReport(url: string) {
 *   const run = currentTask();
 *   const response = await fetch(url, { signal: run?.signal });
 *   …
 * }
 */
export function currentTask(): TaskContext | undefined {
  return storage().getStore();
}

/**
 * Runs `fn` with `context` as the current task: what a worker calls around each attempt.
 *
 * @example
 * await runWithTaskContext({ jobName, runId, attempt, signal: controller.signal }, () => callTask(fn, args, kwargs));
 */
export function runWithTaskContext<T>(context: TaskContext, fn: () => T): T {
  return storage().run(Object.freeze({ ...context }), fn);
}
