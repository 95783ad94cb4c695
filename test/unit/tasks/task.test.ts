import { describe, expect, it } from "vitest";
import { ErrorCode, TaskOptionsError } from "../../../src/index.ts";
import { backoffDelay, isTask, resolveTaskOptions, task, taskOptionsOf, TASK_MARK } from "../../../src/tasks/index.ts";

function optionsError(run: () => unknown): TaskOptionsError {
  try {
    run();
  } catch (error) {
    if (error instanceof TaskOptionsError) return error;
    throw error;
  }
  throw new Error("no TaskOptionsError was thrown");
}

describe("task() marks a function and returns it unchanged", () => {
  it("returns the very function, still callable as written", () => {
    const add = (a: number, b: number): number => a + b;
    const marked = task({ retries: 2 }, add);
    expect(marked).toBe(add);
    expect(marked(2, 3)).toBe(5);
  });

  it("marks with the registry symbol orchestra.task, so other copies of Orchestra recognise it", () => {
    const marked = task({ timeout: 5 }, () => "x");
    expect(TASK_MARK).toBe(Symbol.for("orchestra.task"));
    expect(marked[TASK_MARK]).toEqual({ retries: 0, timeout: 5 });
    expect(isTask(marked)).toBe(true);
    expect(isTask(() => "plain")).toBe(false);
  });

  it("task(fn) alone gives the defaults: no retries, no backoff, no timeout", () => {
    expect(taskOptionsOf(task(() => 1))).toEqual({ retries: 0 });
  });

  it("a plain function has the default options", () => {
    expect(taskOptionsOf(() => 1)).toEqual({ retries: 0 });
  });

  it("fills the backoff factor (2) and keeps max", () => {
    const marked = task({ retries: 3, backoff: { delay: 5, max: 60 }, name: "resize" }, () => undefined);
    expect(taskOptionsOf(marked)).toEqual({ retries: 3, backoff: { delay: 5, factor: 2, max: 60 }, name: "resize" });
  });

  it("a mark written by hand (another copy or version) is checked again", () => {
    const fn = Object.assign(() => 1, { [Symbol.for("orchestra.task")]: { retries: -1 } });
    expect(optionsError(() => taskOptionsOf(fn, "handmade")).message).toBe(
      'invalid options for task() of "handmade": retries must be a whole number ≥ 0 and at most 1000, not -1',
    );
  });
});

describe("task options are checked when the task is declared, with every problem at once", () => {
  it("reports each bad option in one error with code ERR_TASK_OPTIONS", () => {
    const error = optionsError(() =>
      resolveTaskOptions({ retries: 1.5, timeout: 0, name: "", context: "yes", backoff: { delay: -1, factor: 0.5 } }, "job"),
    );
    expect(error.code).toBe(ErrorCode.TaskOptions);
    expect(error.problems).toEqual([
      "retries must be a whole number ≥ 0 and at most 1000, not 1.5",
      "timeout must be a number of seconds > 0 and at most 2147483 (about 24.8 days, the longest a Node.js timer waits), not 0",
      'name must be a non-empty string, not ""',
      'context must be true or false, not "yes"',
      "backoff.delay must be a number of seconds ≥ 0, not -1",
      "backoff.factor must be a number ≥ 1, not 0.5",
    ]);
  });

  it("a timeout longer than a Node.js timer waits is refused, naming the maximum", () => {
    expect(resolveTaskOptions({ timeout: 2_147_483 }).timeout).toBe(2_147_483);
    expect(optionsError(() => resolveTaskOptions({ timeout: 2_147_484 })).problems).toEqual([
      "timeout must be a number of seconds > 0 and at most 2147483 (about 24.8 days, the longest a Node.js timer waits), not 2147484",
    ]);
  });

  it("suggests the option meant by an unknown key", () => {
    expect(optionsError(() => resolveTaskOptions({ retires: 3 })).problems).toEqual([
      'unknown option "retires"; did you mean "retries"?',
    ]);
    expect(optionsError(() => resolveTaskOptions({ backoff: { delay: 1, facter: 3 } })).problems).toEqual([
      'backoff: unknown option "facter"; did you mean "factor"?',
    ]);
  });

  it("requires backoff.delay and max ≥ delay", () => {
    expect(optionsError(() => resolveTaskOptions({ backoff: {} })).problems).toEqual([
      "backoff.delay is required (seconds before the first retry)",
    ]);
    expect(optionsError(() => resolveTaskOptions({ backoff: { delay: 10, max: 5 } })).problems).toEqual([
      "backoff.max (5) must not be less than backoff.delay (10)",
    ]);
  });

  it("task() without a function says how to call it", () => {
    expect(() => {
      Reflect.apply(task, undefined, [{ retries: 1 }]);
    }).toThrow(/task\(\) takes a function/);
  });
});

describe("backoffDelay: delay × factor^(retry-1), capped at max", () => {
  it.each([
    [1, 5],
    [2, 10],
    [3, 20],
    [4, 40],
    [5, 60],
    [9, 60],
  ])("retry %i waits %i s", (retry, seconds) => {
    expect(backoffDelay({ delay: 5, factor: 2, max: 60 }, retry)).toBe(seconds);
  });

  it("at most 10 years, with no max or a larger one: the retry's instant stays a valid date", () => {
    expect(backoffDelay({ delay: 1, factor: 2 }, 1000)).toBe(315_360_000);
    expect(backoffDelay({ delay: 1, factor: 10, max: 1e300 }, 400)).toBe(315_360_000);
  });

  it("no backoff: retry at once", () => {
    expect(backoffDelay(undefined, 3)).toBe(0);
  });
});
