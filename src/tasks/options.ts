import { TaskOptionsError } from "../errors/task-options-error.ts";
import { MAX_DELAY_SECONDS, MAX_RETRIES, MAX_TIMEOUT_SECONDS, maximumText } from "../jobs/limits.ts";
import { suggest } from "../timing/suggest.ts";

/** How long to wait before each retry: `delay`, then `delay × factor`, … capped at `max` (seconds). */
export interface Backoff {
  readonly delay: number;
  /** Default 2. */
  readonly factor?: number;
  readonly max?: number;
}

/** What `task(options, fn)` accepts. Every duration is in seconds, like the schedule file's. */
export interface TaskOptions {
  /** Retries after a failed first attempt. Default 0. */
  readonly retries?: number;
  /** Without it a retry is dispatched at once. */
  readonly backoff?: Backoff;
  /** A run that takes longer is failed (and its `signal` aborted). Default: none. */
  readonly timeout?: number;
  /** A name for logs and the live table; the export name is used otherwise. */
  readonly name?: string;
  /**
   * Whether the task calls `currentTask()` (itself or through helpers) after an await. Default: whether
   * its own code names `currentTask` (see currentTask()).
   */
  readonly context?: boolean;
}

/** Task options after validation, with defaults applied. */
export interface ResolvedTaskOptions {
  readonly retries: number;
  readonly backoff?: Required<Pick<Backoff, "delay" | "factor">> & Pick<Backoff, "max">;
  readonly timeout?: number;
  readonly name?: string;
  readonly context?: boolean;
}

export const DEFAULT_TASK_OPTIONS: ResolvedTaskOptions = Object.freeze({ retries: 0 });
export const DEFAULT_BACKOFF_FACTOR = 2;

const OPTION_KEYS = ["retries", "backoff", "timeout", "name", "context"] as const;
const BACKOFF_KEYS = ["delay", "factor", "max"] as const;

/**
 * Checks options given to `task()` (or found on a task marked by another copy of Orchestra) and applies
 * the defaults. Collects every problem into one TaskOptionsError rather than stopping at the first.
 */
export function resolveTaskOptions(input: unknown, taskName?: string): ResolvedTaskOptions {
  const problems: string[] = [];
  if (input === undefined) return DEFAULT_TASK_OPTIONS;
  if (!isRecord(input)) throw new TaskOptionsError([`options must be an object, not ${describe(input)}`], taskName);
  problems.push(...unknownKeys(input, OPTION_KEYS, "option"));

  const retries = input.retries ?? 0;
  if (!isCount(retries) || retries > MAX_RETRIES) problems.push(`retries must be a whole number ≥ 0 and at most ${MAX_RETRIES}, not ${describe(retries)}`);
  const timeout = input.timeout;
  if (timeout !== undefined && !(isPositive(timeout) && timeout <= MAX_TIMEOUT_SECONDS)) {
    problems.push(`timeout must be a number of seconds > 0 and at most ${maximumText(MAX_TIMEOUT_SECONDS)}, not ${describe(timeout)}`);
  }
  const name = input.name;
  if (name !== undefined && (typeof name !== "string" || name.trim() === "")) {
    problems.push(`name must be a non-empty string, not ${describe(name)}`);
  }
  const context = input.context;
  if (context !== undefined && typeof context !== "boolean") problems.push(`context must be true or false, not ${describe(context)}`);
  const backoff = input.backoff === undefined ? undefined : checkBackoff(input.backoff, problems);

  if (problems.length > 0) throw new TaskOptionsError(problems, taskName);
  return Object.freeze({
    retries: retries as number,
    ...(backoff === undefined ? {} : { backoff }),
    ...(timeout === undefined ? {} : { timeout: timeout as number }),
    ...(name === undefined ? {} : { name: name as string }),
    ...(context === undefined ? {} : { context: context as boolean }),
  });
}

function checkBackoff(input: unknown, problems: string[]): ResolvedTaskOptions["backoff"] {
  if (!isRecord(input)) {
    problems.push(`backoff must be an object { delay, factor?, max? }, not ${describe(input)}`);
    return undefined;
  }
  problems.push(...unknownKeys(input, BACKOFF_KEYS, "option").map((p) => `backoff: ${p}`));
  const { delay, max } = input;
  const factor = input.factor ?? DEFAULT_BACKOFF_FACTOR;
  if (delay === undefined) problems.push("backoff.delay is required (seconds before the first retry)");
  else if (!isSeconds(delay)) problems.push(`backoff.delay must be a number of seconds ≥ 0, not ${describe(delay)}`);
  if (!isFactor(factor)) problems.push(`backoff.factor must be a number ≥ 1, not ${describe(factor)}`);
  if (max !== undefined && !isSeconds(max)) problems.push(`backoff.max must be a number of seconds ≥ 0, not ${describe(max)}`);
  else if (isSeconds(max) && isSeconds(delay) && max < delay) {
    problems.push(`backoff.max (${max}) must not be less than backoff.delay (${delay})`);
  }
  if (!isSeconds(delay) || !isFactor(factor) || (max !== undefined && (!isSeconds(max) || max < delay))) return undefined;
  return Object.freeze({ delay, factor, ...(max === undefined ? {} : { max }) });
}

/**
 * Seconds to wait before retry number `retry` (1 for the first retry): `delay × factor^(retry-1)`,
 * capped at `max`, and at 10 years in any case (so that the retry's instant stays a valid date and
 * bigint); 0 without a backoff.
 *
 * @example
 * backoffDelay({ delay: 5, factor: 2, max: 60 }, 3); // 20
 */
export function backoffDelay(backoff: ResolvedTaskOptions["backoff"], retry: number): number {
  if (backoff === undefined) return 0;
  const delay = backoff.delay * backoff.factor ** Math.max(0, retry - 1);
  return Math.min(delay, backoff.max ?? Infinity, MAX_DELAY_SECONDS);
}

function unknownKeys(input: Record<string, unknown>, known: readonly string[], what: string): string[] {
  return Object.keys(input)
    .filter((key) => !known.includes(key))
    .map((key) => {
      const close = suggest(key, known);
      return close === undefined
        ? `unknown ${what} "${key}" (expected ${known.join(", ")})`
        : `unknown ${what} "${key}"; did you mean "${close}"?`;
    });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

function isSeconds(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

function isFactor(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 1;
}

function isPositive(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}

function describe(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "object":
      return value === null ? "null" : Array.isArray(value) ? "a list" : "an object";
    case "function":
      return "a function";
    case "symbol":
      return "a symbol";
    default:
      return String(value);
  }
}
