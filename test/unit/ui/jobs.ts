import type { JobView } from "../../../src/jobs/view.ts";

/** The seed's screenshot was taken at this instant (2024-03-03 07:36:47 UTC). */
export const SEED_NOW = Date.parse("2024-03-03T07:36:47Z");

/** A JobView as getJobs returns it, with the example's defaults. */
export function job(name: string, overrides: Partial<JobView> = {}): JobView {
  const kind = overrides.kind ?? "CYCLIC";
  const attempts = overrides.attempts ?? 0;
  return {
    name,
    state: "Running",
    kind,
    timing: "every 00:00:01",
    timezone: "UTC",
    module: "/srv/app/tasks.ts",
    task: "long_task",
    nextDue: SEED_NOW + 60_000,
    attempts,
    failedAttempts: 0,
    attemptsLabel: `${attempts}/${kind === "ONCE" ? "1" : "inf"}`,
    tags: ["gpu"],
    lastRun: null,
    options: {},
    missed: "once",
    maxCatchup: 100,
    source: "file:/srv/app/schedule.yaml",
    ...overrides,
  };
}

/** Rows of the seed's second screenshot (a subset), as the store would hold them. */
export const SEED_JOBS: readonly JobView[] = [
  job("task_at_9_13", { kind: "ONCE", timezone: "Europe/Berlin", nextDue: Date.parse("2024-03-03T09:13:00+01:00") }),
  job("task_every_hour_at_05_00", { kind: "HOURLY", timezone: "Europe/Berlin", nextDue: Date.parse("2024-03-03T09:05:00+01:00") }),
  job("exception_task_every_10_second", { task: "exception_task", tags: ["cpu", "fast"], nextDue: Date.parse("2024-03-03T07:36:57Z") }),
  job("short_task_every_1_second", {
    task: "short_task",
    tags: ["cpu", "fast"],
    attempts: 3,
    nextDue: Date.parse("2024-03-03T07:36:47.600Z"),
    lastRun: { status: "success", at: SEED_NOW - 400 },
  }),
  job("task_next_Tuesday_at_13_11_00", { kind: "ONCE", timezone: "Europe/Berlin", nextDue: Date.parse("2024-03-05T13:11:00+01:00") }),
  job("task_once_in_5_hours_2_minutes_and_15_seconds", { kind: "ONCE", nextDue: Date.parse("2024-03-03T12:39:02Z") }),
  job("task_2024_04_01_09_13", { kind: "ONCE", timezone: "Europe/Berlin", nextDue: Date.parse("2024-04-01T09:13:00+02:00") }),
  job("task_every_Monday_at_03_15_00_US", { kind: "WEEKLY", timezone: "America/Boise", nextDue: Date.parse("2024-03-04T03:15:00-07:00") }),
];
