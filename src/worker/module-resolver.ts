import { loadTaskModule } from "../tasks/load.ts";
import { resolveTask } from "../tasks/resolve.ts";
import type { TaskResolver } from "./task-resolver.ts";

/**
 * Finds tasks the way a user's schedule names them: jobs store absolute module paths, and package
 * names resolve from `baseDir` (the worker's working directory by default).
 */
export function moduleTaskResolver(baseDir: string = process.cwd()): TaskResolver {
  return async (module, task) => resolveTask(await loadTaskModule(module, { baseDir }), task);
}
