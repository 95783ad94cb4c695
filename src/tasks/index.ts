/**
 * What a task is: a function exported by a module, optionally marked by `task()` with retry, backoff
 * and timeout settings; how a module is found and imported; how a task is called (`call.ts`); and what
 * it can learn about its run (`currentTask()`).
 */
export { task, isTask, taskOptionsOf, TASK_MARK, type Task, type AnyFunction } from "./task.ts";
export {
  resolveTaskOptions,
  backoffDelay,
  DEFAULT_BACKOFF_FACTOR,
  type TaskOptions,
  type Backoff,
  type ResolvedTaskOptions,
} from "./options.ts";
export { loadTaskModule, type TaskModule, type LoadTaskModuleOptions } from "./load.ts";
export { resolveTask, functionExports, type ResolvedTask } from "./resolve.ts";
export { absoluteModule, isPathSpecifier } from "./locate.ts";
export { callTask, taskArguments } from "./call.ts";
export { currentTask, runWithTaskContext, type TaskContext } from "./context.ts";
export type { ModuleExports } from "./import.ts";
