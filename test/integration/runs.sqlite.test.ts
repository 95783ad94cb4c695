import { afterEach, describe, expect, it } from "vitest";
import type { JobDefinition } from "../../src/jobs/definition.ts";
import { jobsRepository } from "../../src/store/jobs.ts";
import { runsRepository } from "../../src/store/runs.ts";
import { openTempStore } from "../support/store.ts";

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups) await cleanup();
  cleanups = [];
});

function definition(name: string): JobDefinition {
  return { name, module: "/m.js", task: "t", timing: "every 1 hour", timezone: "UTC", tags: [], options: {}, missed: "once", maxCatchup: 10 };
}

describe("the runs ledger", () => {
  it("records a batch of ends at once: each run's own outcome, each job's last status and failure count", async () => {
    const temp = await openTempStore();
    cleanups.push(temp.cleanup);
    const { store } = temp;
    for (const name of ["a", "b"]) {
      await jobsRepository.insert(store.db, { definition: definition(name), kind: "CYCLIC", source: "code", state: "running", anchor: 0, nextDue: 1 }, 0);
    }
    const ids = await store.write((tx) =>
      runsRepository.start(
        tx,
        [1, 2, 3, 4].map((occurrenceId) => ({ occurrenceId, jobName: occurrenceId <= 3 ? "a" : "b", attempt: 1, queue: "default" })),
        "w",
        10,
      ),
    );
    const [first, second, third, fourth] = ids as [number, number, number, number];
    await store.write((tx) =>
      runsRepository.finish(
        tx,
        [
          { runId: first, jobName: "a", status: "failure", result: null, error: "Error: no", errorStack: "Error: no\n    at t" },
          { runId: second, jobName: "a", status: "retry", result: null, error: "Error: again", errorStack: null },
          { runId: third, jobName: "a", status: "success", result: '{"n":1}', error: null, errorStack: null },
          { runId: fourth, jobName: "b", status: "expired", result: null, error: "expired", errorStack: null },
        ],
        20,
      ),
    );
    const runs = await store.db.selectFrom("runs").select(["id", "status", "finished_at", "result", "error", "error_stack"]).orderBy("id").execute();
    expect(runs).toEqual([
      { id: first, status: "failure", finished_at: 20, result: null, error: "Error: no", error_stack: "Error: no\n    at t" },
      { id: second, status: "retry", finished_at: 20, result: null, error: "Error: again", error_stack: null },
      { id: third, status: "success", finished_at: 20, result: '{"n":1}', error: null, error_stack: null },
      { id: fourth, status: "expired", finished_at: 20, result: null, error: "expired", error_stack: null },
    ]);
    expect(await jobsRepository.find(store.db, "a")).toMatchObject({ failedAttempts: 2, lastRunStatus: "success", lastRunAt: 20 });
    expect(await jobsRepository.find(store.db, "b")).toMatchObject({ failedAttempts: 0, lastRunStatus: "expired", lastRunAt: 20 });
  });
});
