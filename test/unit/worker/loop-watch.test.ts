import { afterEach, describe, expect, it } from "vitest";
import type { WorkerEvent } from "../../../src/worker/events.ts";
import { LoopWatch, watchLeases } from "../../../src/worker/loop-watch.ts";

let watch: LoopWatch | null = null;
afterEach(() => {
  watch?.stop();
  watch = null;
});

/** Holds the event loop, as a task running synchronous code does. */
function holdFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("LoopWatch", () => {
  it("tells of a hold of the event loop as long as its threshold, with how long it was", async () => {
    const held: number[] = [];
    watch = new LoopWatch(150, (ms) => held.push(ms), 20);
    watch.start();
    await tick(50);
    holdFor(300);
    await tick(60);
    expect(held).toHaveLength(1);
    expect(held[0]).toBeGreaterThanOrEqual(150);
    expect(held[0]).toBeLessThan(1_000);
  });

  it("says nothing of short holds, nor once stopped", async () => {
    const held: number[] = [];
    watch = new LoopWatch(400, (ms) => held.push(ms), 20);
    watch.start();
    holdFor(50);
    await tick(60);
    watch.stop();
    holdFor(500);
    await tick(60);
    expect(held).toEqual([]);
  });

  it("watchLeases reports a hold of half a lease as a loop-held event, only while tasks run", async () => {
    const events: WorkerEvent[] = [];
    let running = 0;
    watch = watchLeases(300, () => running, (event) => events.push(event));
    await tick(30);
    holdFor(400); // no task runs: no lease at risk
    await tick(300);
    running = 2;
    holdFor(400);
    await tick(300);
    expect(events).toEqual([{ type: "loop-held", heldMs: expect.any(Number) as unknown, leaseMs: 300, running: 2 }]);
  });
});
