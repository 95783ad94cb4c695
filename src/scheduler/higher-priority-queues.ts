import type { JobDefinition } from "../jobs/definition.ts";

/**
 * The queues on which some job has a priority above 0 (a broker may then have to rank even priority 0,
 * see EnqueueRequest), counted as jobs come, change and go: a dispatch need not look at every job.
 */
export class HigherPriorityQueues {
  readonly #counts = new Map<string, number>();
  readonly #names = new Set<string>();

  get names(): ReadonlySet<string> {
    return this.#names;
  }

  clear(): void {
    this.#counts.clear();
    this.#names.clear();
  }

  add(definition: JobDefinition): void {
    const queue = queueAbove(definition);
    if (queue === null) return;
    this.#counts.set(queue, (this.#counts.get(queue) ?? 0) + 1);
    this.#names.add(queue);
  }

  remove(definition: JobDefinition): void {
    const queue = queueAbove(definition);
    if (queue === null) return;
    const left = (this.#counts.get(queue) ?? 1) - 1;
    if (left > 0) this.#counts.set(queue, left);
    else {
      this.#counts.delete(queue);
      this.#names.delete(queue);
    }
  }
}

/** The job's queue if its priority is above 0. */
function queueAbove(definition: JobDefinition): string | null {
  return (definition.options.priority ?? 0) > 0 ? (definition.options.queue ?? "default") : null;
}
