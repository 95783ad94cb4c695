import { loadTaskModule } from "../tasks/load.ts";
import { resolveTask } from "../tasks/resolve.ts";
import type { ResolvedTask, TaskResolver } from "./task-resolver.ts";

/**
 * Finds tasks the way a user's schedule names them: jobs store absolute module paths, and package
 * names resolve from `baseDir` (the worker's working directory by default).
 *
 * A found task is kept: a module is imported once per process anyway, and locating it again (a file
 * lookup) for every run would cost more than a trivial task itself. Failures are not kept, so a module
 * that is fixed or created later is found on a later run.
 */
export function moduleTaskResolver(baseDir: string = process.cwd()): TaskResolver {
  const found = new Map<string, ResolvedTask>();
  return async (module, task) => {
    const key = `${module}\u0000${task}`;
    let resolved = found.get(key);
    if (resolved === undefined) {
      resolved = resolveTask(await loadTaskModule(module, { baseDir }), task);
      found.set(key, resolved);
    }
    return resolved;
  };
}
