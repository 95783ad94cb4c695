import { describe, expect, it } from "vitest";
import { RunTally } from "../../../src/ui/run-tally.ts";

describe("counting runs from the store (orchestra run --no-worker)", () => {
  it("counts runs that end after the first look, each once; earlier history does not count", () => {
    const tally = new RunTally();
    tally.observe("j", [
      { id: 3, status: "started" },
      { id: 2, status: "success" },
      { id: 1, status: "failure" },
    ]);
    expect(tally.snapshot()).toEqual({ running: 1, succeeded: 0, failed: 0 });
    tally.observe("j", [
      { id: 5, status: "retry" },
      { id: 4, status: "started" },
      { id: 3, status: "success" },
      { id: 2, status: "success" },
    ]);
    expect(tally.snapshot()).toEqual({ running: 1, succeeded: 1, failed: 1 });
    tally.observe("j", [
      { id: 5, status: "retry" },
      { id: 4, status: "success" },
      { id: 3, status: "success" },
    ]);
    expect(tally.snapshot()).toEqual({ running: 0, succeeded: 2, failed: 1 });
  });

  it("adds up the jobs, and forgets a deleted one's running runs", () => {
    const tally = new RunTally();
    tally.observe("a", []);
    tally.observe("b", []);
    tally.observe("a", [{ id: 1, status: "started" }]);
    tally.observe("b", [{ id: 2, status: "started" }, { id: 3, status: "expired" }]);
    expect(tally.snapshot()).toEqual({ running: 2, succeeded: 0, failed: 0 });
    tally.forget("b");
    expect(tally.jobs()).toEqual(["a"]);
    expect(tally.snapshot().running).toBe(1);
  });

  it("remembers no more than a page of runs per job", () => {
    const tally = new RunTally();
    tally.observe("j", []);
    for (let id = 1; id <= 500; id++) {
      tally.observe("j", Array.from({ length: Math.min(id, 50) }, (_, i) => ({ id: id - i, status: "success" })));
    }
    expect(tally.snapshot().succeeded).toBe(500);
  });
});
