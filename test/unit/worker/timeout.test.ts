import { afterEach, describe, expect, it, vi } from "vitest";
import { setLongTimeout } from "../../../src/util/long-timeout.ts";
import { executeAttempt } from "../../../src/worker/attempt.ts";
import { RunAbort } from "../../../src/worker/run-abort.ts";

afterEach(() => {
  vi.useRealTimers();
});

describe("timeouts longer than a Node.js timer holds (2^31 − 1 ms, about 24.8 days)", () => {
  it("setLongTimeout waits the whole delay in steps, never firing early", () => {
    vi.useFakeTimers();
    let fired = false;
    const thirtyDays = 30 * 86_400_000;
    setLongTimeout(() => {
      fired = true;
    }, thirtyDays);
    vi.advanceTimersByTime(thirtyDays - 1);
    expect(fired).toBe(false);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(true);
  });

  it("setLongTimeout can be cancelled during any step", () => {
    vi.useFakeTimers();
    let fired = false;
    const cancel = setLongTimeout(() => {
      fired = true;
    }, 60 * 86_400_000);
    vi.advanceTimersByTime(25 * 86_400_000);
    cancel();
    vi.advanceTimersByTime(60 * 86_400_000);
    expect(fired).toBe(false);
  });

  it("a run with a 30-day timeout is not timed out after 1 ms", async () => {
    const task = async (): Promise<string> => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return "done";
    };
    const message = {
      occurrenceId: 1,
      jobName: "long",
      module: "tasks.mjs",
      task: "slow",
      args: [],
      kwargs: null,
      retries: 0,
      timeout: 30 * 86_400,
      expiresAt: null,
    };
    const outcome = await executeAttempt({ id: 1, queue: "default", message, attempt: 1 }, 1, new RunAbort(), () =>
      Promise.resolve({ fn: task, options: { retries: 0 } }),
    );
    expect(outcome.end).toMatchObject({ status: "success", result: '"done"', error: null });
  });
});
