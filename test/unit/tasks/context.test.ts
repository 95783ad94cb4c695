import { AsyncLocalStorage } from "node:async_hooks";
import { describe, expect, it } from "vitest";
import { taskUsesContext } from "../../../src/tasks/context.ts";
import { callTask, currentTask, runWithTaskContext, taskArguments, type TaskContext } from "../../../src/tasks/index.ts";

const context = (attempt: number): TaskContext => ({ jobName: "nightly", runId: 42, attempt, signal: new AbortController().signal });

describe("currentTask(): what a running task knows about its run", () => {
  it("is undefined outside a run, so a task called directly still works", () => {
    expect(currentTask()).toBeUndefined();
  });

  it("gives the job name, run id, attempt and signal inside a run, also after awaits", async () => {
    const seen = await runWithTaskContext(context(2), async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return currentTask();
    });
    expect(seen).toMatchObject({ jobName: "nightly", runId: 42, attempt: 2 });
    expect(seen?.signal).toBeInstanceOf(AbortSignal);
  });

  it("keeps concurrent runs apart", async () => {
    const attemptAfter = (attempt: number, ms: number) =>
      runWithTaskContext(context(attempt), async () => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        return currentTask()?.attempt;
      });
    expect(await Promise.all([attemptAfter(1, 20), attemptAfter(2, 1)])).toEqual([1, 2]);
  });

  it("lives on globalThis under a registry symbol, so every copy of Orchestra in the process sees the same run", () => {
    currentTask(); // creates the shared state if no test did before
    const shared = (globalThis as Record<symbol, { storage: AsyncLocalStorage<TaskContext> }>)[Symbol.for("orchestra.taskContextState")];
    expect(shared?.storage).toBeInstanceOf(AsyncLocalStorage);
    expect(runWithTaskContext(context(3), () => shared?.storage.getStore()?.attempt)).toBe(3);
  });
});

describe("runs of tasks that do not ask for their context", () => {
  /** As in a fresh process: nothing has called currentTask() yet. */
  function freshProcess(): void {
    Reflect.deleteProperty(globalThis, Symbol.for("orchestra.taskContextState"));
  }

  it("have it while they run synchronously, without AsyncLocalStorage (whose hooks slow every promise of the process)", async () => {
    freshProcess();
    const stored: unknown[] = [];
    const seen = await runWithTaskContext(
      context(4),
      async () => {
        const state = (globalThis as Record<symbol, { storage: AsyncLocalStorage<TaskContext> }>)[Symbol.for("orchestra.taskContextState")];
        stored.push(state?.storage.getStore());
        const before = currentTask()?.attempt;
        await new Promise((resolve) => setImmediate(resolve));
        return [before, currentTask()?.attempt];
      },
      { followAwaits: false },
    );
    expect(stored).toEqual([undefined]); // not run inside the storage
    // After the await this first run has lost it; the call latched the process, so later runs keep it.
    expect(seen).toEqual([4, undefined]);
    const later = await runWithTaskContext(
      context(5),
      async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return currentTask()?.attempt;
      },
      { followAwaits: false },
    );
    expect(later).toBe(5);
  });

  it("leave no context behind once they return or throw", () => {
    freshProcess();
    runWithTaskContext(context(6), () => 1, { followAwaits: false });
    expect(() =>
      runWithTaskContext(
        context(7),
        () => {
          throw new Error("boom");
        },
        { followAwaits: false },
      ),
    ).toThrow("boom");
    expect(currentTask()).toBeUndefined();
  });

  it("are told apart from tasks that do: a task's code naming currentTask, or task({ context })", () => {
    expect(taskUsesContext(() => currentTask()?.attempt, undefined)).toBe(true);
    expect(taskUsesContext((a: number) => a * 2, undefined)).toBe(false);
    expect(taskUsesContext((a: number) => a * 2, true)).toBe(true);
    expect(taskUsesContext(() => currentTask(), false)).toBe(false);
  });
});

describe("the calling convention: fn(...args), or fn(...args, kwargs) when kwargs has keys", () => {
  it("passes kwargs as one object after the positional arguments", async () => {
    const received: unknown[][] = [];
    const spy = (...args: unknown[]): string => {
      received.push(args);
      return "done";
    };
    expect(await callTask(spy, [1, 2], { scale: 3 })).toBe("done");
    await callTask(spy, [1], {});
    await callTask(spy, [], null);
    await callTask(spy);
    expect(received).toEqual([[1, 2, { scale: 3 }], [1], [], []]);
  });

  it("awaits an async task and propagates its failure", async () => {
    await expect(callTask(async () => Promise.resolve(7))).resolves.toBe(7);
    await expect(callTask(() => Promise.reject(new Error("nope")))).rejects.toThrow("nope");
  });

  it("taskArguments never appends an empty kwargs object", () => {
    expect(taskArguments(["a"], {})).toEqual(["a"]);
    expect(taskArguments(["a"], { b: 1 })).toEqual(["a", { b: 1 }]);
  });
});
