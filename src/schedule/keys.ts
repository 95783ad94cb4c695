/**
 * The keys of the schedule format, in one place: the loader accepts exactly these, and a unit test
 * checks that schema/schedule.schema.json names the same ones, so the two cannot drift apart.
 */
export interface KeySet {
  /** What a map of these keys is called in messages. */
  readonly what: string;
  /** Every accepted key, in the order the documentation lists them. */
  readonly keys: readonly string[];
  readonly required: readonly string[];
}

/** `- name: … module: … schedules: […]`: a module and the jobs that run its tasks. */
export const BLOCK_KEYS: KeySet = { what: "block", keys: ["name", "module", "schedules"], required: ["module", "schedules"] };

export const JOB_KEYS: KeySet = {
  what: "job",
  keys: ["name", "task", "enabled", "schedule", "additional_options", "tags", "missed", "max_catchup"],
  required: ["name", "task", "schedule"],
};

export const SCHEDULE_KEYS: KeySet = { what: "schedule", keys: ["timing", "timezone"], required: ["timing"] };

/** The seed's `additional_options`, handed to each dispatch (see DispatchOptions). */
export const OPTION_KEYS: KeySet = {
  what: "additional_options",
  keys: ["queue", "priority", "args", "kwargs", "countdown", "expires", "retries", "timeout"],
  required: [],
};
