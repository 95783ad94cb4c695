import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadScheduleFile, loadScheduleFiles, parseTiming } from "../../../src/index.ts";
import type { JobDefinition } from "../../../src/jobs/definition.ts";

const FIXTURES = fileURLToPath(new URL("../../fixtures/schedules/", import.meta.url));
const fixture = (name: string): string => path.join(FIXTURES, name);
const TASKS_TS = fixture("tasks.ts");

describe("a valid schedule file becomes job definitions", () => {
  it("the seed's 23 timing forms: 23 jobs, in the order written", async () => {
    const { jobs, disabled } = await loadScheduleFile(fixture("seed.yaml"));
    expect(jobs).toHaveLength(23);
    expect(disabled).toEqual([]);
    for (const job of jobs) expect(() => parseTiming(job.timing, job.timezone)).not.toThrow();
    expect(jobs.map((job) => job.timing)).toContain("once in 5 hours 2 minutes and 15 seconds");
  });

  it("fills the defaults: enabled, UTC, no tags, no options, missed once, max_catchup 100; module made absolute", async () => {
    const { jobs } = await loadScheduleFile(fixture("seed.yaml"));
    expect(jobs[1]).toEqual<JobDefinition>({
      name: "task_every_48_hours",
      module: TASKS_TS,
      task: "long_task",
      timing: "every 48:00:00",
      timezone: "UTC",
      tags: ["gpu"],
      options: {},
      missed: "once",
      maxCatchup: 100,
    });
  });

  it("reads every key: options, tags as a set, missed all with max_catchup, the zone in its canonical spelling", async () => {
    const { jobs } = await loadScheduleFile(fixture("features.yaml"));
    expect(jobs[0]).toEqual<JobDefinition>({
      name: "add-numbers",
      module: TASKS_TS,
      task: "add",
      timing: "0 3 * * MON",
      timezone: "America/New_York",
      tags: ["math", "nightly"],
      options: { queue: "math", priority: -5, args: [1, 2], kwargs: { scale: 10 }, countdown: 1.5, expires: 60, retries: 2, timeout: 30 },
      missed: "all",
      maxCatchup: 5,
    });
    expect(jobs.find((job) => job.name === "js-report")?.module).toBe(fixture("tasks.mjs"));
  });

  it("leaves out disabled jobs but names them; enabled defaults to true (the seed defaulted to false)", async () => {
    const load = await loadScheduleFile(fixture("features.yaml"));
    expect(load.jobs.map((job) => job.name)).toEqual(["add-numbers", "flaky", "js-report", "js-retried"]);
    expect(load.disabled).toEqual(["switched-off"]);
    expect(load.sources).toEqual([{ file: fixture("features.yaml"), jobs: 4, disabled: 1 }]);
  });

  it("reads JSON with the same parser", async () => {
    const { jobs } = await loadScheduleFile(fixture("seed.json"));
    expect(jobs.map((job) => [job.name, job.timezone, job.missed, job.maxCatchup])).toEqual([
      ["json_short_task", "Europe/Paris", "once", 100],
      ["json_long_task", "UTC", "all", 3],
    ]);
  });

  it("loads several files as one schedule", async () => {
    const load = await loadScheduleFiles([fixture("seed.yaml"), fixture("seed.json")]);
    expect(load.jobs).toHaveLength(25);
    expect(load.sources.map((source) => source.jobs)).toEqual([23, 2]);
  });
});
