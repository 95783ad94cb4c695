import { describe, expect, it } from "vitest";
import { bullmqRankOf, jobOptionsOf } from "../../../src/broker/bullmq/job-options.ts";

describe("where a message goes in BullMQ's order", () => {
  it("leaves the default priority unprioritised (BullMQ runs those first) while no job on the queue is above it", () => {
    expect(bullmqRankOf(0, false)).toBeNull();
    expect(bullmqRankOf(-1, false)).toBe(1_048_577); // ranked: after the unprioritised ones
  });

  it("ranks every message of a queue where some job has a higher priority, higher first (a lower BullMQ number)", () => {
    const ranks = [5, 0, -3].map((priority) => bullmqRankOf(priority, true) ?? Infinity);
    expect(ranks).toEqual([1_048_571, 1_048_576, 1_048_579]);
  });

  it("keeps ranks within BullMQ's range", () => {
    expect(bullmqRankOf(10_000_000, true)).toBe(1);
    expect(bullmqRankOf(-10_000_000, true)).toBe(2_097_151);
  });

  it("gives BullMQ a priority only for a ranked message", () => {
    const message = { occurrenceId: 1, jobName: "j", module: "/m.js", task: "t", args: [], kwargs: null, retries: null, timeout: null, expiresAt: null };
    expect(jobOptionsOf({ jobId: "j@1", rank: null, availableAt: 0, message }, 0)).not.toHaveProperty("priority");
    expect(jobOptionsOf({ jobId: "j@1", rank: 7, availableAt: 0, message }, 0).priority).toBe(7);
  });
});
