import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { orchestra } from "../support/cli.ts";
import { killOnCleanup, startOrchestra } from "../support/process.ts";
import { readSqliteFile } from "../support/sqlite-file.ts";
import { tempDir } from "../support/store.ts";

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A schedule of a job that succeeds and one that fails for good, each every second, on the embedded default. */
function setUp() {
  const dir = tempDir("orchestra-log-level-");
  cleanups.push(dir.cleanup);
  writeFileSync(join(dir.path, "tasks.mjs"), "export function tick() { return 1; }\nexport function boom() { throw new Error('boom'); }\n");
  const job = (name: string) => [`    - name: ${name}`, `      task: ${name}`, `      schedule: { timing: "every 00:00:01" }`];
  writeFileSync(join(dir.path, "schedule.yaml"), ["- module: ./tasks.mjs", "  schedules:", ...job("tick"), ...job("boom"), ""].join("\n"));
  return { schedule: join(dir.path, "schedule.yaml"), db: join(dir.path, "orchestra.db") };
}

/** Runs the schedule until both jobs have ended a run, then stops it; its output. */
async function runUntilBothEnded(level: string): Promise<string> {
  const { schedule, db } = setUp();
  const running = killOnCleanup(cleanups, startOrchestra(["run", schedule, "--no-ui", "--log-format", "json", "--log-level", level]));
  const ended = () => readSqliteFile<{ job_name: string }>(db, "select distinct job_name from runs where status in ('success', 'failure')").length;
  await expect.poll(ended, { timeout: 20_000, interval: 100 }).toBe(2);
  running.child.kill("SIGINT");
  expect(await running.exited).toBe(0);
  return running.output();
}

function linesOf(output: string): { level: number; event: string }[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { level: number; event: string });
}

describe("orchestra run --log-level", () => {
  it("warn: only the failures, no line per dispatch or per run", async () => {
    const lines = linesOf(await runUntilBothEnded("warn"));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.level >= 40)).toBe(true);
    expect(lines.map((line) => line.event)).toContain("run-failed");
  }, 40_000);

  it("debug: also each run's start", async () => {
    const events = linesOf(await runUntilBothEnded("debug")).map((line) => line.event);
    expect(events).toEqual(expect.arrayContaining(["dispatched", "run-started", "run-succeeded", "run-failed"]));
  }, 40_000);

  it("refuses a level it does not know, for run and worker alike: exit 2, the choices named", async () => {
    const { schedule } = setUp();
    for (const command of [["run", schedule], ["worker", "--schedule", schedule]]) {
      const result = await orchestra([...command, "--log-level", "loud"]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain("Allowed choices are debug, info, warn, error");
    }
  });
});

describe("output piped into a reader that goes away (orchestra run | head)", () => {
  it("stops the scheduler gracefully, as on SIGTERM: exit 0, no stack trace, no run left half-run", async () => {
    const { schedule, db } = setUp();
    const running = killOnCleanup(cleanups, startOrchestra(["run", schedule, "--no-ui"]));
    await expect.poll(() => running.output(), { timeout: 20_000, interval: 20 }).toContain("Store: ");
    running.child.stdout?.destroy(); // as `head` exits: the next line written fails with EPIPE
    expect(await running.exited).toBe(0);
    expect(running.output()).not.toMatch(/EPIPE|\n\s+at /);
    // Nothing left half-run (queued messages stay pending for the next start, as after SIGTERM).
    expect(readSqliteFile<{ n: number }>(db, "select count(*) as n from runs where status = 'started'")).toEqual([{ n: 0 }]);
  }, 40_000);
});

describe("a job on a queue that this process's worker does not serve", () => {
  it("is warned of once at start, with the queue, the jobs and what to do", async () => {
    const dir = tempDir("orchestra-unserved-");
    cleanups.push(dir.cleanup);
    writeFileSync(join(dir.path, "tasks.mjs"), "export function tick() { return 1; }\n");
    const job = (name: string, queue?: string) => [
      `    - name: ${name}`,
      "      task: tick",
      `      schedule: { timing: "every 1 hour" }`,
      ...(queue === undefined ? [] : [`      additional_options: { queue: ${queue} }`]),
    ];
    writeFileSync(join(dir.path, "schedule.yaml"), ["- module: ./tasks.mjs", "  schedules:", ...job("plain"), ...job("report", "reports"), ""].join("\n"));
    const running = killOnCleanup(cleanups, startOrchestra(["run", join(dir.path, "schedule.yaml"), "--no-ui"]));
    await expect.poll(() => running.output(), { timeout: 20_000, interval: 20 }).toContain("Orchestra starting");
    running.child.kill("SIGINT");
    expect(await running.exited).toBe(0);
    const warnings = running.output().split("\n").filter((line) => line.includes("is not served"));
    expect(warnings).toEqual([
      expect.stringContaining(
        'WARN: Queue "reports" (report) is not served by this process\'s worker (--queues default): its tasks wait for a worker that serves it (orchestra worker --queues reports, or add it to --queues)',
      ),
    ]);
  }, 30_000);
});
