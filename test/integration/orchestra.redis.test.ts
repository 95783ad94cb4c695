import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock, Orchestra, type OrchestraEvent } from "../../src/index.ts";
import { dropPrefix, REDIS_SUITE_NOTE, redisUp, redisUrl, testPrefix } from "../support/redis.ts";
import { tempDir } from "../support/store.ts";

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

describe.skipIf(!redisUp)(`the Orchestra class with a Redis broker${REDIS_SUITE_NOTE}`, () => {
  it("dispatches through BullMQ to its in-process worker and keeps jobs and runs in the SQLite backend", async () => {
    const dir = tempDir();
    const prefix = testPrefix();
    cleanups.push(async () => {
      await dropPrefix(prefix);
      dir.cleanup();
    });
    writeFileSync(join(dir.path, "tasks.mjs"), "export function work(n) { return n * 2; }\n");
    const clock = new ManualClock(Date.now());
    const events: OrchestraEvent[] = [];
    const backend = join(dir.path, "runs.db");
    const orchestra = new Orchestra({ broker: redisUrl(prefix), backend: `sqlite:///${backend}`, clock, onEvent: (e) => events.push(e) });
    cleanups.push(() => orchestra.stop(0));
    await orchestra.scheduleTask({ name: "double", module: join(dir.path, "tasks.mjs"), task: "work", timing: "every 1 minute", options: { args: [21] } });
    expect(await orchestra.location()).toBe(backend);
    const running = orchestra.run();
    await orchestra.triggerJob("double");
    clock.advance(60_000); // and the schedule's first occurrence
    await expect.poll(async () => (await orchestra.getRuns("double")).filter((run) => run.status === "success").length, { timeout: 15_000, interval: 20 }).toBe(2);
    expect((await orchestra.getRuns("double")).map((run) => run.result)).toEqual(["42", "42"]);
    expect(events.filter((e) => e.type === "run-succeeded")).toHaveLength(2);
    await orchestra.stop(1_000);
    await running;
  });

  it("refuses a bad Redis URL with a configuration error", async () => {
    const orchestra = new Orchestra({ broker: "redis://127.0.0.1:6379/0?prefix=a:b" });
    await expect(orchestra.createSchedule()).rejects.toThrow(/invalid Redis URL .*the prefix "a:b"/);
  });
});
