import type { Delivery } from "../broker/message.ts";
import type { RunEnd } from "../store/runs.ts";
import { callTask } from "../tasks/call.ts";
import { runWithTaskContext, taskUsesContext, type TaskContext } from "../tasks/context.ts";
import { backoffDelay, type ResolvedTaskOptions } from "../tasks/options.ts";
import { setLongTimeout } from "../util/long-timeout.ts";
import type { RunAbort } from "./run-abort.ts";
import type { TaskResolver } from "./task-resolver.ts";

export interface AttemptOutcome {
  readonly end: RunEnd;
  /** When set, the message is retried at this instant. */
  readonly retryAt: number | null;
  readonly durationMs: number;
}

/** Without a backoff of its own, a task is retried after 1 s, 2 s, 4 s … up to 5 minutes. */
export const DEFAULT_RETRY_BACKOFF: NonNullable<ResolvedTaskOptions["backoff"]> = { delay: 1, factor: 2, max: 300 };

export class TaskTimeoutError extends Error {
  override readonly name = "TaskTimeoutError";
}

/**
 * Runs one attempt of a delivered message: checks expiry, finds the task, calls it with its context and
 * timeout, and says how the attempt ended and whether another follows. Never throws: every failure of
 * the task (or of loading it) becomes a recorded outcome.
 */
export async function executeAttempt(
  delivery: Delivery,
  runId: number,
  abort: RunAbort,
  resolveTask: TaskResolver,
): Promise<AttemptOutcome> {
  const { message } = delivery;
  const started = Date.now();
  const end = (status: RunEnd["status"], fields: Partial<RunEnd> = {}): RunEnd => ({
    runId,
    jobName: message.jobName,
    status,
    result: null,
    error: null,
    errorStack: null,
    ...fields,
  });
  if (message.expiresAt !== null && started > message.expiresAt) {
    const error = `expired: not started by ${new Date(message.expiresAt).toISOString()}`;
    return { end: end("expired", { error }), retryAt: null, durationMs: 0 };
  }

  let options: ResolvedTaskOptions = { retries: 0 };
  try {
    const task = await resolveTask(message.module, message.task);
    options = task.options;
    const timeoutSeconds = message.timeout ?? options.timeout;
    const context = { jobName: message.jobName, runId, attempt: delivery.attempt };
    // Without a timeout the worker's signal is the task's, made only if the task asks for it (see
    // RunAbort); a timeout needs a signal of its own that either aborts.
    const followAwaits = taskUsesContext(task.fn, options.context);
    if (timeoutSeconds === undefined) {
      const lazy: TaskContext = Object.freeze({
        ...context,
        get signal() {
          return abort.signal;
        },
      });
      const value = await runWithTaskContext(lazy, () => callTask(task.fn, message.args, message.kwargs), { followAwaits });
      return { end: end("success", resultFields(value)), retryAt: null, durationMs: Date.now() - started };
    }
    const signal = abort.signal;
    const controller = new AbortController();
    const onAbort = (): void => {
      controller.abort(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      const call = runWithTaskContext({ ...context, signal: controller.signal }, () => callTask(task.fn, message.args, message.kwargs), { followAwaits });
      const value = await withTimeout(call, timeoutSeconds, controller);
      return { end: end("success", resultFields(value)), retryAt: null, durationMs: Date.now() - started };
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  } catch (error) {
    const retries = message.retries ?? options.retries;
    const retry = delivery.attempt <= retries;
    const delay = backoffDelay(options.backoff ?? DEFAULT_RETRY_BACKOFF, delivery.attempt);
    return {
      end: end(retry ? "retry" : "failure", { error: errorText(error), errorStack: stackOf(error) }),
      retryAt: retry ? Date.now() + delay * 1000 : null,
      durationMs: Date.now() - started,
    };
  }
}

/** A timeout beyond what a timer holds (stored before timeouts were limited) still waits its whole length. */
async function withTimeout<T>(work: Promise<T>, seconds: number, controller: AbortController): Promise<T> {
  let cancel: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    cancel = setLongTimeout(() => {
      const error = new TaskTimeoutError(`timed out after ${seconds} s`);
      controller.abort(error);
      reject(error);
    }, seconds * 1000);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    cancel?.();
  }
}

function resultFields(value: unknown): Partial<RunEnd> {
  if (value === undefined) return {};
  try {
    return { result: JSON.stringify(value) };
  } catch (error) {
    return { error: `the return value is not JSON-serialisable: ${errorText(error)}` };
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === "string") return error;
  const json = JSON.stringify(error) as string | undefined; // undefined for undefined, functions, symbols
  return json ?? String(error);
}

function stackOf(error: unknown): string | null {
  return error instanceof Error && error.stack !== undefined ? error.stack : null;
}
