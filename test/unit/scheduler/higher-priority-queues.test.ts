import { describe, expect, it } from "vitest";
import type { JobDefinition } from "../../../src/jobs/definition.ts";
import { HigherPriorityQueues } from "../../../src/scheduler/higher-priority-queues.ts";

function job(name: string, priority: number | undefined, queue?: string): JobDefinition {
  const options = { ...(priority === undefined ? {} : { priority }), ...(queue === undefined ? {} : { queue }) };
  return { name, module: "/m.js", task: "t", timing: "every 1 hour", timezone: "UTC", tags: [], options, missed: "once", maxCatchup: 1 };
}

describe("the queues with a priority above 0", () => {
  it("counts jobs above 0 per queue, so a queue stays listed until its last such job goes", () => {
    const queues = new HigherPriorityQueues();
    queues.add(job("a", 5));
    queues.add(job("b", 1));
    queues.add(job("c", 9, "fast"));
    queues.add(job("d", 0, "slow"));
    queues.add(job("e", -2, "slow"));
    queues.add(job("f", undefined, "slow"));
    expect([...queues.names].sort()).toEqual(["default", "fast"]);
    queues.remove(job("a", 5));
    expect(queues.names.has("default")).toBe(true);
    queues.remove(job("b", 1));
    expect(queues.names.has("default")).toBe(false);
    queues.remove(job("d", 0, "slow")); // never counted: no effect
    expect([...queues.names]).toEqual(["fast"]);
    queues.clear();
    expect(queues.names.size).toBe(0);
  });
});
