import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteTaskQueue } from "../../src/broker/sqlite/sqlite-task-queue.ts";
import { Scheduler } from "../../src/scheduler/scheduler.ts";
import { openTempStore, tempDir } from "../support/store.ts";
import { writeEverySecondSchedule } from "../support/every-second.ts";
import { killOnCleanup, startOrchestra } from "../support/process.ts";
import { countOccurrences, occurrenceLedger, readSqliteFile } from "../support/sqlite-file.ts";

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

describe("SIGKILL of the scheduler", () => {
  it("loses no occurrence and dispatches none twice across the restart (the ledger says so)", async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const { schedule, db } = writeEverySecondSchedule(dir.path);

    const first = killOnCleanup(cleanups, startOrchestra(["run", schedule, "--no-worker"]));
    await expect.poll(() => countOccurrences(db), { timeout: 15_000, interval: 50 }).toBeGreaterThanOrEqual(3);
    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    const beforeRestart = countOccurrences(db);

    const second = killOnCleanup(cleanups, startOrchestra(["run", schedule, "--no-worker"]));
    await expect.poll(() => countOccurrences(db), { timeout: 15_000, interval: 50 }).toBeGreaterThanOrEqual(beforeRestart + 3);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);

    const ledger = occurrenceLedger(db);
    const dues = ledger.map((row) => row.due_at);
    // Every second from the first to the last due instant is there exactly once: none lost, none doubled.
    const first_ = dues[0] ?? 0;
    expect(dues).toEqual(dues.map((_, index) => first_ + index * 1000));
    for (const row of ledger) {
      expect(row.runs, `runs of ${row.due_at}`).toBe(1);
      expect(row.messages, `messages of ${row.due_at}`).toBe(row.outcome === "missed" ? 0 : 1);
    }
  }, 40_000);
});

describe("SIGKILL of a worker mid-task", () => {
  it("the task runs again on another worker, and the attempt is counted", async () => {
    const temp = await openTempStore();
    cleanups.push(temp.cleanup);
    const marker = join(temp.path, "..", "first-attempt-started");
    const tasks = join(temp.path, "..", "tasks.mjs");
    writeFileSync(
      tasks,
      `import { existsSync, writeFileSync } from "node:fs";
export async function once_then_hang() {
  if (existsSync(${JSON.stringify(marker)})) return "second attempt";
  writeFileSync(${JSON.stringify(marker)}, "started");
  await new Promise((resolve) => setTimeout(resolve, 120_000));
  return "first attempt";
}
`,
    );
    const scheduler = new Scheduler({ store: temp.store, queue: new SqliteTaskQueue() });
    await scheduler.load();
    await scheduler.add(
      { name: "victim", module: tasks, task: "once_then_hang", timing: "every 1 hour", timezone: "UTC", tags: [], options: {}, missed: "once", maxCatchup: 1 },
      "code",
    );
    await scheduler.trigger("victim");

    const doomed = killOnCleanup(cleanups, startOrchestra(["worker", "--module", tasks, "--broker", temp.path, "--lease", "0.5"]));
    await expect.poll(() => existsSync(marker), { timeout: 15_000, interval: 20 }).toBe(true);
    doomed.child.kill("SIGKILL");
    await doomed.exited;

    const rescuer = killOnCleanup(cleanups, startOrchestra(["worker", "--module", tasks, "--broker", temp.path, "--lease", "0.5"]));
    const runs = () => readSqliteFile<{ attempt: number; status: string; result: string | null }>(temp.path, "select attempt, status, result from runs order by id");
    await expect.poll(() => runs().at(-1)?.status, { timeout: 15_000, interval: 50 }).toBe("success");
    rescuer.child.kill("SIGTERM");
    expect(await rescuer.exited).toBe(0);
    expect(runs()).toEqual([
      { attempt: 1, status: "retry", result: null },
      { attempt: 2, status: "success", result: JSON.stringify("second attempt") },
    ]);
  }, 40_000);
});

describe("SIGTERM of a worker", () => {
  it("stops claiming, lets the running task finish within the grace period, and exits 0", async () => {
    const temp = await openTempStore();
    cleanups.push(temp.cleanup);
    const started = join(temp.path, "..", "started");
    const tasks = join(temp.path, "..", "tasks.mjs");
    writeFileSync(
      tasks,
      `import { writeFileSync } from "node:fs";
export async function short_sleep() {
  writeFileSync(${JSON.stringify(started)}, "yes");
  await new Promise((resolve) => setTimeout(resolve, 300));
  return "finished";
}
`,
    );
    const scheduler = new Scheduler({ store: temp.store, queue: new SqliteTaskQueue() });
    await scheduler.load();
    await scheduler.add(
      { name: "graceful", module: tasks, task: "short_sleep", timing: "every 1 hour", timezone: "UTC", tags: [], options: {}, missed: "once", maxCatchup: 1 },
      "code",
    );
    await scheduler.trigger("graceful");
    const worker = killOnCleanup(cleanups, startOrchestra(["worker", "--module", tasks, "--broker", temp.path, "--grace", "10"]));
    await expect.poll(() => existsSync(started), { timeout: 15_000, interval: 10 }).toBe(true);
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(readSqliteFile<{ status: string; result: string }>(temp.path, "select status, result from runs")).toEqual([
      { status: "success", result: JSON.stringify("finished") },
    ]);
    expect(worker.output()).toContain("Received SIGTERM");
  }, 30_000);

  it("a second SIGTERM exits at once (status 130), saying what becomes of the tasks still running", async () => {
    const temp = await openTempStore();
    cleanups.push(temp.cleanup);
    const started = join(temp.path, "..", "started");
    const tasks = join(temp.path, "..", "tasks.mjs");
    writeFileSync(
      tasks,
      `import { writeFileSync } from "node:fs";
export async function long_sleep() {
  writeFileSync(${JSON.stringify(started)}, "yes");
  await new Promise((resolve) => setTimeout(resolve, 60_000));
}
`,
    );
    const scheduler = new Scheduler({ store: temp.store, queue: new SqliteTaskQueue() });
    await scheduler.load();
    await scheduler.add({ name: "long", module: tasks, task: "long_sleep", timing: "every 1 hour", timezone: "UTC", tags: [], options: {}, missed: "once", maxCatchup: 1 }, "code");
    await scheduler.trigger("long");
    const worker = killOnCleanup(cleanups, startOrchestra(["worker", "--module", tasks, "--broker", temp.path, "--grace", "60", "--lease", "20"]));
    await expect.poll(() => existsSync(started), { timeout: 15_000, interval: 10 }).toBe(true);
    worker.child.kill("SIGTERM");
    await expect.poll(() => worker.output(), { timeout: 10_000, interval: 10 }).toContain("Received SIGTERM: finishing running tasks (up to 60 s)");
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(130);
    expect(worker.output()).toContain("WARN: Received SIGTERM again: exiting now; tasks still running (1) run again on a worker once their lease (20 s) runs out");
  }, 30_000);
});
