import type { Instant } from "../timing/time.ts";

interface Entry {
  due: Instant;
  name: string;
  /** Matches the job's version when the entry is current; older entries are skipped (lazy deletion). */
  version: number;
}

/**
 * A binary min-heap of (due instant, job) pairs: the scheduler looks at its top only, so one timer
 * serves all jobs and a dispatch costs O(log n), never a scan of every job. Rescheduling pushes a new
 * entry and bumps the job's version; stale entries are dropped when they surface.
 */
export class DueHeap {
  readonly #entries: Entry[] = [];

  get size(): number {
    return this.#entries.length;
  }

  push(due: Instant, name: string, version: number): void {
    const entries = this.#entries;
    entries.push({ due, name, version });
    let index = entries.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const a = entries[index];
      const b = entries[parent];
      if (a === undefined || b === undefined || b.due <= a.due) break;
      entries[index] = b;
      entries[parent] = a;
      index = parent;
    }
  }

  peek(): Entry | undefined {
    return this.#entries[0];
  }

  pop(): Entry | undefined {
    const entries = this.#entries;
    const top = entries[0];
    const last = entries.pop();
    if (top === undefined || last === undefined || entries.length === 0) return top;
    entries[0] = last;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if ((entries[left]?.due ?? Infinity) < (entries[smallest]?.due ?? Infinity)) smallest = left;
      if ((entries[right]?.due ?? Infinity) < (entries[smallest]?.due ?? Infinity)) smallest = right;
      if (smallest === index) break;
      const a = entries[index];
      const b = entries[smallest];
      if (a === undefined || b === undefined) break;
      entries[index] = b;
      entries[smallest] = a;
      index = smallest;
    }
    return top;
  }

  clear(): void {
    this.#entries.length = 0;
  }
}
