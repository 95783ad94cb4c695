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
 * Shared by every copy of this file in a process, kept on `globalThis` under a registry symbol: the
 * worker and the task module may hold different copies of it (the task module's own node_modules, or
 * the TypeScript loader's namespace), and `currentTask()` must see what `runWithTaskContext()` set.
 */
interface ContextState {
  readonly storage: AsyncLocalStorage<TaskContext>;
  /**
   * Whether runs carry their context across awaits. An AsyncLocalStorage in use makes Node 20 run hooks
   * on every promise of the process (BullMQ's, the driver's, …): about a fifth of a worker's time on
   * trivial tasks. So it is used once a task can need it: one whose code names `currentTask`, one marked
   * `task({ context: true })`, or any run after `currentTask()` was first called in the process.
   */
  followAwaits: boolean;
  /** The run whose synchronous part is executing, when runs do not carry their context across awaits. */
  synchronous: TaskContext | undefined;
}

const STATE_KEY: unique symbol = Symbol.for("orchestra.taskContextState");

function shared(): ContextState {
  const holder = globalThis as { [STATE_KEY]?: ContextState | undefined };
  let state = holder[STATE_KEY];
  if (state === undefined) {
    state = { storage: new AsyncLocalStorage<TaskContext>(), followAwaits: false, synchronous: undefined };
    holder[STATE_KEY] = state;
  }
  return state;
}

/**
 * The context of the task run that is executing, from anywhere in its call tree (also across awaits);
 * `undefined` outside a run, so a task called directly (in a test, a script) still works.
 *
 * A task whose own code names `currentTask` always has it. One that reaches it only through a helper
 * module, after an await, should be marked `task({ context: true }, fn)`: otherwise the first such call
 * in a process may find no context (every later run has it).
 *
 * @example
 * export async function fetchReport(url: string) {
 *   const run = currentTask();
 *   const response = await fetch(url, { signal: run?.signal });
 *   …
 * }
 */
export function currentTask(): TaskContext | undefined {
  const state = shared();
  state.followAwaits = true;
  return state.storage.getStore() ?? state.synchronous;
}

/**
 * Runs `fn` with `context` as the current task: what a worker calls around each attempt. With
 * `followAwaits` (or once the process has asked for a context) the context follows `fn` across its
 * awaits; otherwise it is there while `fn` runs synchronously, until its first await.
 *
 * @example
 * await runWithTaskContext({ jobName, runId, attempt, signal: controller.signal }, () => callTask(fn, args, kwargs));
 */
export function runWithTaskContext<T>(context: TaskContext, fn: () => T, options: { readonly followAwaits?: boolean } = {}): T {
  const state = shared();
  // A frozen context is taken as it is: the worker's has a getter that makes its signal only when asked for.
  const frozen = Object.isFrozen(context) ? context : Object.freeze({ ...context });
  if (state.followAwaits || options.followAwaits !== false) return state.storage.run(frozen, fn);
  const outer = state.synchronous;
  state.synchronous = frozen;
  try {
    return fn();
  } finally {
    state.synchronous = outer;
  }
}

const usesContext = new WeakMap<(...args: never[]) => unknown, boolean>();

/**
 * Whether a task may ask for its context after an await: it says so (`task({ context })`), or its code
 * names `currentTask`. Read once per function.
 */
export function taskUsesContext(fn: (...args: never[]) => unknown, declared: boolean | undefined): boolean {
  if (declared !== undefined) return declared;
  let uses = usesContext.get(fn);
  if (uses === undefined) {
    uses = Function.prototype.toString.call(fn).includes("currentTask");
    usesContext.set(fn, uses);
  }
  return uses;
}
