import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteTaskQueue } from "../../src/broker/sqlite/sqlite-task-queue.ts";
import { Scheduler } from "../../src/scheduler/scheduler.ts";
import { orchestra } from "../support/cli.ts";
import { killOnCleanup, startOrchestra } from "../support/process.ts";
import { openTempStore } from "../support/store.ts";

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A metric's value in Prometheus' text format (the line `name value`), or undefined. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("orchestra worker --metrics-address", () => {
  it("serves its runs to Prometheus at /metrics: successes, failures, durations and the tasks running", async () => {
    const temp = await openTempStore();
    cleanups.push(temp.cleanup);
    const tasks = join(temp.path, "..", "tasks.mjs");
    writeFileSync(tasks, `export const ok = () => 1;\nexport const boom = () => { throw new Error("boom"); };\n`);
    const scheduler = new Scheduler({ store: temp.store, queue: new SqliteTaskQueue() });
    await scheduler.load();
    const job = { module: tasks, timing: "every 1 hour", timezone: "UTC", tags: [], options: {}, missed: "once" as const, maxCatchup: 1 };
    await scheduler.add({ ...job, name: "fine", task: "ok" }, "code");
    await scheduler.add({ ...job, name: "broken", task: "boom" }, "code");
    for (const name of ["fine", "fine", "broken"]) await scheduler.trigger(name);

    const worker = killOnCleanup(cleanups, startOrchestra(["worker", "--module", tasks, "--broker", temp.path, "--metrics-address", "127.0.0.1:0"]));
    await expect.poll(() => /Metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(worker.output())?.[1], { timeout: 15_000, interval: 20 }).toBeDefined();
    const url = /Metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(worker.output())?.[1] ?? "";
    const scrape = async (): Promise<string> => (await fetch(url)).text();
    await expect.poll(async () => valueOf(await scrape(), "orchestra_run_successes_total"), { timeout: 15_000, interval: 50 }).toBe(2);
    const text = await scrape();
    expect(valueOf(text, "orchestra_run_failures_total")).toBe(1);
    expect(valueOf(text, "orchestra_run_duration_seconds_count")).toBe(2);
    expect(valueOf(text, "orchestra_worker_running_tasks")).toBe(0);
    expect(text).toContain("# TYPE orchestra_run_duration_seconds histogram");

    const elsewhere = await fetch(url.replace("/metrics", "/api/jobs"));
    expect(elsewhere.status).toBe(404);
    const posted = await fetch(url, { method: "POST" });
    expect([posted.status, posted.headers.get("allow")]).toEqual([405, "GET, HEAD"]);

    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    await expect(fetch(url)).rejects.toThrow(); // the server closed with the worker
  }, 40_000);

  it("refuses a bad address before starting, saying what it expects", async () => {
    const result = await orchestra(["worker", "--module", "./none.mjs", "--metrics-address", "localhost"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('orchestra: invalid metrics address "localhost": expected HOST:PORT, such as 127.0.0.1:5000 or [::1]:5000\n');
  });
});
