import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Orchestra } from "../../src/index.ts";
import { jobsRepository } from "../../src/store/jobs.ts";
import { openSqliteStore } from "../../src/store/sqlite/open.ts";
import { dropPrefix, REDIS_SUITE_NOTE, redisUp, redisUrl, testPrefix } from "../support/redis.ts";
import { tempDir } from "../support/store.ts";

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

// Dispatching and running through a Redis broker, with either store, is the pairs conformance suite's
// (test/conformance/pairs.*.test.ts); what is left here is how the Orchestra class reads its options.
describe.skipIf(!redisUp)(`the Orchestra class with a Redis broker${REDIS_SUITE_NOTE}`, () => {
  it("keeps jobs in the backend's SQLite file, not in an orchestra.db of its own", async () => {
    const dir = tempDir();
    const prefix = testPrefix();
    cleanups.push(async () => {
      await dropPrefix(prefix);
      dir.cleanup();
    });
    const backend = join(dir.path, "runs.db");
    const orchestra = new Orchestra({ broker: redisUrl(prefix), backend: `sqlite:///${backend}`, worker: false });
    cleanups.push(() => orchestra.stop(0));
    await orchestra.scheduleTask({ name: "double", module: join(dir.path, "tasks.mjs"), task: "work", timing: "every 1 minute" });
    expect(await orchestra.location()).toBe(backend);
    await orchestra.stop(0);
    const store = await openSqliteStore(backend);
    cleanups.push(() => store.close());
    expect((await jobsRepository.find(store.db, "double"))?.definition.task).toBe("work");
  });

  it("refuses a bad Redis URL with a configuration error", async () => {
    const orchestra = new Orchestra({ broker: "redis://127.0.0.1:6379/0?prefix=a:b" });
    await expect(orchestra.createSchedule()).rejects.toThrow(/invalid Redis URL .*the prefix "a:b"/);
  });
});
