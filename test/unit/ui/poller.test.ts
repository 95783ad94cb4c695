import { afterEach, describe, expect, it, vi } from "vitest";
import { Poller } from "../../../src/ui/poller.ts";

afterEach(() => {
  vi.useRealTimers();
});

/** A task whose runs the test ends by hand. */
function gatedTask(): { task: () => Promise<void>; started: () => number; finish: () => void } {
  let started = 0;
  const open: (() => void)[] = [];
  return {
    task: () => {
      started += 1;
      return new Promise<void>((resolve) => open.push(resolve));
    },
    started: () => started,
    finish: () => open.shift()?.(),
  };
}

describe("the store poller", () => {
  it("runs at once, then every interval, never two at a time; a request during a run makes one more after it", async () => {
    vi.useFakeTimers();
    const gate = gatedTask();
    const poller = new Poller(gate.task, { intervalMs: 1000, soonMs: 50, onError: () => undefined });
    poller.start();
    expect(gate.started()).toBe(1);
    poller.soon();
    await vi.advanceTimersByTimeAsync(1000); // the soon() and the interval both fall during the first run
    expect(gate.started()).toBe(1);
    gate.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(gate.started()).toBe(2);
    gate.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(gate.started()).toBe(2);
    await poller.stop();
  });

  it("coalesces a burst of requests into one run", async () => {
    vi.useFakeTimers();
    const runs: number[] = [];
    const poller = new Poller(() => {
      runs.push(Date.now());
      return Promise.resolve();
    }, { intervalMs: 60_000, soonMs: 50, onError: () => undefined });
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 10; i++) poller.soon();
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toHaveLength(2);
    await poller.stop();
  });

  it("stop() waits for the run under way and starts none after it; errors after stop are not reported", async () => {
    const gate = gatedTask();
    const errors: unknown[] = [];
    const poller = new Poller(gate.task, { intervalMs: 1000, soonMs: 0, onError: (error) => errors.push(error) });
    poller.start();
    poller.soon();
    let stopped = false;
    const stopping = poller.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    gate.finish();
    await stopping;
    expect(gate.started()).toBe(1);
    expect(errors).toEqual([]);
  });

  it("reports a failed run and keeps polling", async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let calls = 0;
    const poller = new Poller(
      () => {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error("store is locked")) : Promise.resolve();
      },
      { intervalMs: 1000, soonMs: 50, onError: (error) => errors.push(error) },
    );
    poller.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors).toEqual([new Error("store is locked")]);
    expect(calls).toBe(2);
    await poller.stop();
  });
});
