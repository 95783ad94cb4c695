import { describe, expect, it } from "vitest";
import type { JobView } from "../../../src/jobs/view.ts";
import { jobRows } from "../../../src/ui/rows.ts";
import { job, SEED_JOBS, SEED_NOW } from "./jobs.ts";

const names = (jobs: readonly JobView[]): string[] => jobRows(jobs, SEED_NOW).map((row) => row.name);

describe("row order", () => {
  it("running jobs by due time, soonest first", () => {
    expect(names(SEED_JOBS)).toEqual([
      "short_task_every_1_second",
      "exception_task_every_10_second",
      "task_every_hour_at_05_00",
      "task_at_9_13",
      "task_once_in_5_hours_2_minutes_and_15_seconds",
      "task_every_Monday_at_03_15_00_US",
      "task_next_Tuesday_at_13_11_00",
      "task_2024_04_01_09_13",
    ]);
  });

  it("paused jobs come after running ones, done jobs last, whatever their due times", () => {
    const jobs = [
      job("done_first", { state: "Done", nextDue: null, kind: "ONCE" }),
      job("paused_soon", { state: "Paused", nextDue: SEED_NOW + 1_000 }),
      job("running_late", { nextDue: SEED_NOW + 86_400_000 }),
      job("paused_later", { state: "Paused", nextDue: SEED_NOW + 5_000 }),
      job("running_soon", { nextDue: SEED_NOW + 2_000 }),
      job("done_b", { state: "Done", nextDue: null, kind: "ONCE" }),
    ];
    expect(names(jobs)).toEqual(["running_soon", "running_late", "paused_soon", "paused_later", "done_b", "done_first"]);
  });

  it("is the same however the store listed the jobs (ties broken by name), so redraws do not shuffle rows", () => {
    const tied = [job("b", { nextDue: SEED_NOW + 1_000 }), job("a", { nextDue: SEED_NOW + 1_000 }), job("c", { nextDue: null }), ...SEED_JOBS];
    const expected = names(tied);
    expect(expected.slice(0, 3)).toEqual(["short_task_every_1_second", "a", "b"]);
    expect(expected.at(-1)).toBe("c");
    for (let seed = 1; seed <= 20; seed++) expect(names(shuffled(tied, seed))).toEqual(expected);
  });

  it("each row has the seed's cells", () => {
    const [row] = jobRows([SEED_JOBS[0] as JobView], SEED_NOW);
    expect(row && Object.fromEntries(Object.entries(row.cells).map(([key, cell]) => [key, cell.text]))).toEqual({
      state: "Running",
      schedule: "ONCE",
      name: "task_at_9_13",
      moduleTask: "tasks.long_task",
      dueAt: "2024-03-03 09:13:00",
      timezone: "Europe/Berlin",
      dueIn: "0:36:13",
      attempts: "0/1",
      tags: "gpu",
      lastRun: "—",
    });
  });
});

/** A deterministic shuffle (a small LCG), so a failure names its seed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
