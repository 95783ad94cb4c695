/**
 * What a job is, wherever it was declared (schedule file, API, code): the plain, validated data the
 * scheduler and the store share.
 */

/** What to do with occurrences that fell due while nothing was running. */
export type MissedPolicy = "skip" | "once" | "all";

export const MISSED_POLICIES: readonly MissedPolicy[] = ["skip", "once", "all"];

/** Options handed to each dispatch of a job's task (the seed's `additional_options`). */
export interface DispatchOptions {
  /** Named queue; workers pick the queues they serve. Default `default`. */
  readonly queue?: string;
  /** Higher runs first among messages that are ready. Default 0. */
  readonly priority?: number;
  /** Positional arguments of the task. */
  readonly args?: readonly unknown[];
  /** Named arguments, passed as one object after the positional ones. */
  readonly kwargs?: Readonly<Record<string, unknown>>;
  /** Seconds to wait after the due time before the task may run. */
  readonly countdown?: number;
  /** Seconds after the due time past which the task is not run but recorded as expired. */
  readonly expires?: number;
  /** How many times a failed run is retried (overrides the task's own setting). */
  readonly retries?: number;
  /** Seconds a run may take before it is failed as timed out (overrides the task's own setting). */
  readonly timeout?: number;
}

export interface JobDefinition {
  /** Unique across everything a scheduler holds. */
  readonly name: string;
  /** Module holding the task: an absolute file path or a package specifier. */
  readonly module: string;
  /** Export name of the task in the module. */
  readonly task: string;
  /** A timing expression (see timing.md) or a cron pattern. */
  readonly timing: string;
  /** IANA zone name; `UTC` when not given. */
  readonly timezone: string;
  readonly tags: readonly string[];
  readonly options: DispatchOptions;
  readonly missed: MissedPolicy;
  /** With `missed: all`, at most this many catch-up runs per job (the rest are recorded as missed). */
  readonly maxCatchup: number;
}

export const DEFAULT_MAX_CATCHUP = 100;
