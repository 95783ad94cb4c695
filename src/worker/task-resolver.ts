import type { ResolvedTaskOptions } from "../tasks/options.ts";

/** A task ready to call, with its own options (retries, backoff, timeout). */
export interface ResolvedTask {
  readonly fn: (...args: never[]) => unknown;
  readonly options: ResolvedTaskOptions;
}

/** Finds the task `task` of module `module` (an absolute path or a package specifier). */
export type TaskResolver = (module: string, task: string) => Promise<ResolvedTask>;
