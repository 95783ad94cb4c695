import { OrchestraError } from "../errors/orchestra-error.ts";
import { absoluteModule, isPathSpecifier } from "../tasks/locate.ts";
import { loadTaskModule, type TaskModule } from "../tasks/load.ts";
import { resolveTask } from "../tasks/resolve.ts";
import type { BlockEntry } from "./block.ts";
import type { ProblemLog } from "./problems.ts";

/**
 * Checks that each block's module loads and exports each job's task. One import per module per load,
 * whatever the number of blocks and jobs naming it, and a module that fails is reported once per
 * block (at its `module:`), not once per job.
 */
export class TaskChecker {
  private readonly modules = new Map<string, Promise<TaskModule | OrchestraError>>();

  async check(block: BlockEntry, baseDir: string, log: ProblemLog): Promise<void> {
    if (block.module === undefined) return;
    const { value: specifier, node } = block.module;
    const loaded = await this.load(specifier, baseDir);
    if (loaded instanceof OrchestraError) {
      log.add(node, loaded.message);
      return;
    }
    for (const { task } of block.jobs) {
      if (task === undefined) continue;
      try {
        resolveTask(loaded, task.value);
      } catch (error) {
        if (!(error instanceof OrchestraError)) throw error;
        log.add(task.node, error.message);
      }
    }
  }

  private load(specifier: string, baseDir: string): Promise<TaskModule | OrchestraError> {
    const key = isPathSpecifier(specifier) ? absoluteModule(specifier, baseDir) : `${specifier}\0${baseDir}`;
    let loading = this.modules.get(key);
    if (loading === undefined) {
      loading = loadTaskModule(specifier, { baseDir }).catch((error: unknown) => {
        if (error instanceof OrchestraError) return error;
        throw error;
      });
      this.modules.set(key, loading);
    }
    return loading;
  }
}
