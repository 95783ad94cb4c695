import { mkdirSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock, Orchestra, ScheduleValidationError, TimingError, type OrchestraEvent } from "../../src/index.ts";
import { at } from "../support/time.ts";
import { tempDir } from "../support/store.ts";

const T0 = at("2024-03-04T08:00:00Z"); // a Monday

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function setup(options: { clock?: ManualClock } = {}) {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  writeFileSync(join(dir.path, "tasks.mjs"), "export function work() { return 'done'; }\nexport function other() { return 2; }\n");
  const clock = options.clock ?? new ManualClock(T0);
  const events: OrchestraEvent[] = [];
  const orchestra = new Orchestra({ broker: `sqlite:///${join(dir.path, "orchestra.db")}`, clock, worker: false, onEvent: (e) => events.push(e) });
  cleanups.push(() => orchestra.stop(0));
  return { dir: dir.path, clock, events, orchestra };
}

describe("the Orchestra class (the seed's public API)", () => {
  it("createSchedule takes the definitions as a list, like the seed's create_schedule", async () => {
    const { dir, orchestra } = setup();
    await orchestra.createSchedule([
      {
        module: join(dir, "tasks.mjs"),
        schedules: [
          { name: "a", task: "work", schedule: { timing: "every 48:00:00" }, tags: ["cpu", "fast"] },
          { name: "b", task: "other", schedule: { timing: "every Monday at 16:30", timezone: "Europe/Berlin" }, tags: ["cpu"] },
          { name: "off", task: "work", enabled: false, schedule: { timing: "every 00:00:01" } },
        ],
      },
    ]);
    const jobs = await orchestra.getJobs();
    expect(jobs.map((job) => [job.name, job.kind, job.state, job.attemptsLabel, job.nextDue])).toEqual([
      ["a", "CYCLIC", "Running", "0/inf", T0 + 48 * 3_600_000],
      ["b", "WEEKLY", "Running", "0/inf", at("2024-03-04T15:30:00Z")],
    ]);
  });

  it("scheduleTask adds a stored job; scheduleFunction runs a plain function in this process, not stored", async () => {
    const { dir, clock, orchestra } = setup();
    const job = await orchestra.scheduleTask({ name: "once", module: join(dir, "tasks.mjs"), task: "work", timing: "once in 17 seconds" });
    expect(job).toMatchObject({ name: "once", kind: "ONCE", attemptsLabel: "0/1", nextDue: T0 + 17_000, source: "code" });
    let calls = 0;
    orchestra.scheduleFunction(
      () => {
        calls++;
      },
      "every 10 seconds",
      "Hello World every 10s",
    );
    const running = orchestra.run();
    await new Promise((resolve) => setImmediate(resolve)); // run() has started its timers
    clock.advance(35_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(3);
    const views = await orchestra.getJobs();
    expect(views.find((view) => view.name === "Hello World every 10s")).toMatchObject({ source: "function", attemptsLabel: "3/inf" });
    await orchestra.stop(0);
    await running;
  });

  it("scheduleTask refuses what a schedule file may not hold, every problem at once, and stores nothing", async () => {
    const { dir, orchestra } = setup();
    const module = join(dir, "tasks.mjs");
    const problems = async (promise: Promise<unknown>): Promise<string[]> => {
      const error: unknown = await promise.then(() => undefined, (thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ScheduleValidationError);
      return (error as ScheduleValidationError).problems.map((problem) => problem.message);
    };
    const refused = orchestra.scheduleTask({
      name: "a\u0000b",
      module,
      task: "work",
      timing: "every hour",
      tags: ["a,b"],
      options: { queue: "q\u0000", countdown: 1e16, timeout: 3e6, args: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]] },
    });
    expect(await problems(refused)).toEqual([
      '"name" must not hold control characters (U+0000 at character 2)',
      '"additional_options.queue" must not hold control characters (U+0000 at character 2)',
      '"additional_options.countdown" must be a number of seconds ≥ 0 and at most 315360000 (10 years), not 10000000000000000',
      '"additional_options.timeout" must be a number of seconds > 0 and at most 2147483 (about 24.8 days, the longest a Node.js timer waits), not 3000000',
      '"additional_options.args" nests deeper than 32 levels of lists and maps',
      '"tags[0]" ("a,b") must not hold a comma: tags=a,b filters split at commas, so none could select it',
    ]);
    await expect(orchestra.scheduleTask({ name: "t", module, task: "work", timing: "every 100000000 hours" })).rejects.toThrow(TimingError);
    expect(await orchestra.getJobs()).toEqual([]);
    const accepted = await orchestra.scheduleTask({ name: "ok", module: "./tasks.mjs", task: "work", timing: "every hour", timezone: "europe/berlin" });
    expect(accepted).toMatchObject({ timezone: "Europe/Berlin" });
  });

  it("pauses and resumes by name and by tags; a no-op says so", async () => {
    const { dir, orchestra } = setup();
    const module = join(dir, "tasks.mjs");
    await orchestra.scheduleTask({ name: "x", module, task: "work", timing: "every 1 minute", tags: ["latency", "gpu"] });
    await orchestra.scheduleTask({ name: "y", module, task: "work", timing: "every 1 minute", tags: ["gpu"] });
    await orchestra.scheduleTask({ name: "z", module, task: "work", timing: "every 1 minute", tags: ["cpu"] });
    expect(await orchestra.pauseJob("z")).toEqual({ name: "z", state: "paused", changed: true });
    expect(await orchestra.pauseJob("z")).toEqual({ name: "z", state: "paused", changed: false });
    expect(await orchestra.resumeJob("x")).toEqual({ name: "x", state: "running", changed: false });
    const paused = await orchestra.pauseJobsWithTags(["latency", "gpu"], { anyTag: false });
    expect(paused.map((change) => change.name)).toEqual(["x"]);
    await orchestra.pauseJobsWithTags(["gpu"], { anyTag: true });
    expect((await orchestra.getJobs({ state: "Paused" })).map((job) => job.name).sort()).toEqual(["x", "y", "z"]);
    await orchestra.resumeJobsWithTags(["gpu", "cpu"], { anyTag: true });
    expect((await orchestra.getJobs({ state: "Running" })).map((job) => job.name).sort()).toEqual(["x", "y", "z"]);
  });

  it("filters jobs by tags (any or all), state and name fragment", async () => {
    const { dir, orchestra } = setup();
    const module = join(dir, "tasks.mjs");
    await orchestra.scheduleTask({ name: "Nightly report", module, task: "work", timing: "every day at 2:00", tags: ["report"] });
    await orchestra.scheduleTask({ name: "hourly sync", module, task: "work", timing: "every hour", tags: ["sync", "report"] });
    expect((await orchestra.getJobs({ tags: ["sync", "report"] })).map((job) => job.name)).toEqual(["hourly sync"]);
    expect((await orchestra.getJobs({ tags: ["sync", "report"], anyTag: true })).length).toBe(2);
    expect((await orchestra.getJobs({ name: "NIGHTLY" })).map((job) => job.name)).toEqual(["Nightly report"]);
  });

  it("triggers, pages runs newest first, deletes; unknown names are clear errors", async () => {
    const { dir, clock, orchestra } = setup();
    await orchestra.scheduleTask({ name: "t", module: join(dir, "tasks.mjs"), task: "work", timing: "every day at 9:00" });
    for (let i = 0; i < 5; i++) {
      clock.advance(1);
      await orchestra.triggerJob("t");
    }
    const firstPage = await orchestra.getRuns("t", { page: 1, pageSize: 2 });
    const secondPage = await orchestra.getRuns("t", { page: 2, pageSize: 2 });
    expect(firstPage.map((run) => run.id)).toEqual([5, 4]);
    expect(secondPage.map((run) => run.id)).toEqual([3, 2]);
    expect((await orchestra.getRuns("t", { status: "pending" })).length).toBe(5);
    expect((await orchestra.getJob("t")).attempts).toBe(5);
    await orchestra.deleteJob("t");
    await expect(orchestra.getJob("t")).rejects.toThrow('no job named "t"');
    await expect(orchestra.triggerJob("t")).rejects.toThrow('no job named "t"');
  });

  it("keeps API-created jobs, pause state and deletions across a restart (the seed kept them in memory)", async () => {
    const { dir, orchestra } = setup();
    const module = join(dir, "tasks.mjs");
    await orchestra.scheduleTask({ name: "kept", module, task: "work", timing: "every 1 minute" });
    await orchestra.scheduleTask({ name: "gone", module, task: "work", timing: "every 1 minute" });
    await orchestra.pauseJob("kept");
    await orchestra.deleteJob("gone");
    await orchestra.stop(0);
    const again = new Orchestra({ broker: join(dir, "orchestra.db"), clock: new ManualClock(T0 + 60_000), worker: false });
    cleanups.push(() => again.stop(0));
    expect((await again.getJobs()).map((job) => [job.name, job.state])).toEqual([["kept", "Paused"]]);
  });

  it("a schedule file renamed or moved takes its jobs over, paused ones still paused; a file that still declares them is in the way, saying how to get out", async () => {
    const { dir, orchestra } = setup();
    const schedule = (timing: string): string =>
      ["- module: ./tasks.mjs", "  schedules:", "    - name: nightly", "      task: work", `      schedule: { timing: "${timing}" }`, ""].join("\n");
    writeFileSync(join(dir, "a.yaml"), schedule("every day at 3:00"));
    await orchestra.createSchedule(join(dir, "a.yaml"));
    await orchestra.pauseJob("nightly");
    await orchestra.stop(0);

    writeFileSync(join(dir, "copy.yaml"), schedule("every day at 4:00"));
    const copied = new Orchestra({ broker: join(dir, "orchestra.db"), clock: new ManualClock(T0), worker: false });
    cleanups.push(() => copied.stop(0));
    await expect(copied.createSchedule(join(dir, "copy.yaml"))).rejects.toThrow(
      `a job named "nightly" exists already (declared by the schedule file ${join(dir, "a.yaml")}: rename one of the two, or remove it from that file and run that file once)`,
    );
    await copied.stop(0);

    renameSync(join(dir, "a.yaml"), join(dir, "b.yaml"));
    const told: OrchestraEvent[] = [];
    const renamed = new Orchestra({ broker: join(dir, "orchestra.db"), clock: new ManualClock(T0), worker: false, onEvent: (event) => told.push(event) });
    cleanups.push(() => renamed.stop(0));
    await renamed.createSchedule(join(dir, "b.yaml"));
    expect((await renamed.getJobs()).map((job) => [job.name, job.state, job.source])).toEqual([["nightly", "Paused", `file:${join(dir, "b.yaml")}`]]);
    // Said in the log: with a store shared by hosts, a file missing here may be another host's.
    expect(told.filter((event) => event.type === "taken-over")).toEqual([{ type: "taken-over", job: "nightly", from: `file:${join(dir, "a.yaml")}`, by: `file:${join(dir, "b.yaml")}` }]);
  });

  it("a relative broker path is from the working directory, as on the command line, not from the schedule file's folder", async () => {
    const { dir: root } = setup();
    // Deeper than the working directory, so that the same relative path names another file from here.
    const dir = join(root, "a", "b");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "tasks.mjs"), "export function work() { return 'done'; }\n");
    const elsewhere = tempDir();
    cleanups.push(elsewhere.cleanup);
    writeFileSync(join(dir, "schedule.yaml"), ["- module: ./tasks.mjs", "  schedules:", "    - name: j", "      task: work", '      schedule: { timing: "every 1 hour" }', ""].join("\n"));
    const given = relative(process.cwd(), join(elsewhere.path, "given.db"));
    const orchestra = new Orchestra({ broker: given, clock: new ManualClock(T0), worker: false });
    cleanups.push(() => orchestra.stop(0));
    await orchestra.createSchedule(join(dir, "schedule.yaml"));
    expect(await orchestra.location()).toBe(join(elsewhere.path, "given.db"));
    expect(readdirSync(root, { recursive: true }).filter((file) => String(file).endsWith(".db"))).toEqual([]); // nothing near the schedule
  });

  it("a schedule file's warnings (a ONCE date gone by) are told as events, judged by the orchestra's clock; the job is still loaded", async () => {
    const { dir, events, orchestra } = setup(); // the clock reads 2024-03-04 08:00 UTC
    writeFileSync(
      join(dir, "once.yaml"),
      ["- module: ./tasks.mjs", "  schedules:", "    - name: gone", "      task: work", '      schedule: { timing: "2024-03-01 09:00" }', ""].join("\n"),
    );
    await orchestra.createSchedule(join(dir, "once.yaml"));
    expect(events.filter((event) => event.type === "schedule-warning")).toEqual([
      { type: "schedule-warning", warning: `${join(dir, "once.yaml")}:5:27: warning: 2024-03-01 09:00 (UTC) is in the past: the job would never run` },
    ]);
    expect((await orchestra.getJobs()).map((job) => [job.name, job.state])).toEqual([["gone", "Done"]]);
  });

  it("refuses two different SQLite files for the embedded broker and backend", async () => {
    const orchestra = new Orchestra({ broker: "sqlite:///a.db", backend: "sqlite:///b.db" });
    await expect(orchestra.getJobs()).rejects.toThrow("share one SQLite file");
  });
});
