import { describe, expect, it } from "vitest";
import type { OrchestraEvent } from "../../../src/orchestra.ts";
import { EventCounters, LATENESS_WINDOW, percentile } from "../../../src/ui/counters.ts";

const dispatched = (lateness: number, catchUp = false): OrchestraEvent => ({ type: "dispatched", job: "j", dueAt: 0, lateness, occurrenceId: 1, catchUp });

describe("the Orchestrating jobs counters", () => {
  it("count dispatches, runs under way, successes and failed attempts from events", () => {
    const counters = new EventCounters();
    const events: OrchestraEvent[] = [
      dispatched(3),
      dispatched(5),
      { type: "run-started", job: "j", runId: 1, attempt: 1 },
      { type: "run-started", job: "j", runId: 2, attempt: 1 },
      { type: "run-succeeded", job: "j", runId: 1, durationMs: 4 },
      { type: "run-started", job: "k", runId: 3, attempt: 1 },
      { type: "run-failed", job: "k", runId: 3, attempt: 1, error: "boom", retryAt: 5_000 },
      { type: "paused", job: "j" },
    ];
    for (const event of events) counters.record(event);
    expect(counters.snapshot()).toEqual({ dispatched: 2, running: 1, succeeded: 1, failed: 1, lateP99: 5 });
  });

  it("never counts a run as running twice, nor below zero when its start was not seen", () => {
    const counters = new EventCounters();
    counters.record({ type: "run-succeeded", job: "j", runId: 7, durationMs: 1 });
    counters.record({ type: "run-started", job: "j", runId: 8, attempt: 1 });
    counters.record({ type: "run-started", job: "j", runId: 8, attempt: 1 });
    expect(counters.snapshot().running).toBe(1);
    counters.record({ type: "lease-lost", job: "j", runId: 8 });
    expect(counters.snapshot().running).toBe(0);
  });

  it("late p99 is about prompt firing: catch-up dispatches of missed occurrences stay out of it", () => {
    const counters = new EventCounters();
    expect(counters.snapshot().lateP99).toBeNull();
    counters.record(dispatched(2));
    counters.record(dispatched(3_600_000, true));
    expect(counters.snapshot()).toMatchObject({ dispatched: 2, lateP99: 2 });
  });

  it("late p99 follows the recent dispatches only", () => {
    const counters = new EventCounters();
    for (let i = 0; i < LATENESS_WINDOW; i++) counters.record(dispatched(500));
    expect(counters.snapshot().lateP99).toBe(500);
    for (let i = 0; i < LATENESS_WINDOW; i++) counters.record(dispatched(i % 50 === 0 ? 40 : 4)); // 2% late
    expect(counters.snapshot().lateP99).toBe(40);
  });

  it("percentile is nearest-rank: one of the observed values", () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(samples, 0.99)).toBe(99);
    expect(percentile(samples, 0.5)).toBe(50);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([1, 1000], 0.99)).toBe(1000);
  });
});
