/** A run as the store lists it: enough to count it. */
export interface RunObservation {
  readonly id: number;
  readonly status: string;
}

export interface RunTallySnapshot {
  readonly running: number;
  readonly succeeded: number;
  readonly failed: number;
}

const SUCCEEDED = new Set(["success"]);
const FAILED = new Set(["failure", "retry"]);
const ENDED = new Set(["success", "failure", "retry", "expired", "missed"]);

interface JobTally {
  /** Ended runs already counted (or already ended when first seen), among those that can still be listed. */
  readonly seen: Set<number>;
  running: number;
}

/**
 * The counters from the store's runs, for `orchestra run --no-worker`: the runs then happen in other
 * processes, whose events never reach this one. Each poll hands over a job's newest runs, newest first.
 * A run counts once, when it is first seen ended; runs that had ended before the job was first polled
 * are history and do not count. "running" is what the store says is started now, whoever runs it.
 *
 * Only the newest page of each job is polled, so a job that ends more runs between two polls than a page
 * holds would lose some from the count; at one poll a second and 50 a page, that takes 50 runs a second.
 */
export class RunTally {
  readonly #jobs = new Map<string, JobTally>();
  #succeeded = 0;
  #failed = 0;

  observe(job: string, newestFirst: readonly RunObservation[]): void {
    let tally = this.#jobs.get(job);
    const firstLook = tally === undefined;
    tally ??= { seen: new Set(), running: 0 };
    this.#jobs.set(job, tally);
    tally.running = 0;
    for (const run of newestFirst) {
      if (run.status === "started") tally.running += 1;
      if (!ENDED.has(run.status) || tally.seen.has(run.id)) continue;
      tally.seen.add(run.id);
      if (firstLook) continue;
      if (SUCCEEDED.has(run.status)) this.#succeeded += 1;
      if (FAILED.has(run.status)) this.#failed += 1;
    }
    // Runs older than this page will never be listed again: forget them, so memory stays one page a job.
    const oldest = newestFirst.reduce((min, run) => Math.min(min, run.id), Number.POSITIVE_INFINITY);
    for (const id of tally.seen) if (id < oldest) tally.seen.delete(id);
  }

  /** A job that is gone (deleted) no longer has running runs to show. */
  forget(job: string): void {
    this.#jobs.delete(job);
  }

  jobs(): string[] {
    return [...this.#jobs.keys()];
  }

  snapshot(): RunTallySnapshot {
    let running = 0;
    for (const tally of this.#jobs.values()) running += tally.running;
    return { running, succeeded: this.#succeeded, failed: this.#failed };
  }
}
