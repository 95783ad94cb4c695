import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { storeMarkerKey } from "../../src/broker/bullmq/store-marker.ts";
import { orchestra } from "../support/cli.ts";
import { killOnCleanup, startOrchestra, type RunningProcess } from "../support/process.ts";
import { readSqliteFile } from "../support/sqlite-file.ts";
import { dropPrefix, REDIS_SUITE_NOTE, redisClient, redisUp, redisUrl, testPrefix } from "../support/redis.ts";
import { tempDir } from "../support/store.ts";

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A directory with a task module and a schedule of one job, a Redis prefix of its own; both removed after. */
function setUp(tasks: string, job: string, timing: string) {
  const dir = tempDir();
  const prefix = testPrefix();
  cleanups.push(async () => {
    await dropPrefix(prefix);
    dir.cleanup();
  });
  writeFileSync(join(dir.path, "tasks.mjs"), tasks);
  writeFileSync(
    join(dir.path, "schedule.yaml"),
    ["- module: ./tasks.mjs", "  schedules:", `    - name: ${job}`, `      task: ${job}`, `      schedule: { timing: "${timing}" }`, ""].join("\n"),
  );
  return { dir: dir.path, schedule: join(dir.path, "schedule.yaml"), db: join(dir.path, "orchestra.db"), broker: redisUrl(prefix) };
}

/**
 * Starts `orchestra run --no-worker` and waits until its store exists: two processes creating the
 * same new SQLite store at once can both run its first migration (a known race of the store's opening).
 */
async function startScheduler(schedule: string, broker: string): Promise<RunningProcess> {
  const scheduler = killOnCleanup(cleanups, startOrchestra(["run", schedule, "--no-worker", "--no-ui", "--broker", broker]));
  await expect.poll(() => scheduler.output(), { timeout: 15_000, interval: 20 }).toMatch(/Store: /);
  return scheduler;
}

describe.skipIf(!redisUp)(`orchestra run and orchestra worker through Redis${REDIS_SUITE_NOTE}`, () => {
  it("a scheduler and a separate worker process share a Redis and record every run in the SQLite store", async () => {
    const { schedule, db, broker } = setUp("export function tick() { return 'ticked'; }\n", "tick", "every 00:00:01");
    const scheduler = await startScheduler(schedule, broker);
    const worker = killOnCleanup(cleanups, startOrchestra(["worker", "--schedule", schedule, "--broker", broker, "--backend", db]));
    const runs = () => readSqliteFile<{ occurrence_id: number; status: string; result: string }>(db, "select occurrence_id, status, result from runs where status = 'success'");
    await expect.poll(() => runs().length, { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(3);
    scheduler.child.kill("SIGTERM");
    worker.child.kill("SIGTERM");
    expect(await scheduler.exited).toBe(0);
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toMatch(/serving default from redis:\/\/127\.0\.0\.1:\d+\/0\?prefix=orchestra-test-\w+, recording runs in .*orchestra\.db/);
    const done = runs();
    expect(new Set(done.map((run) => run.occurrence_id)).size).toBe(done.length);
    expect(done[0]?.result).toBe(JSON.stringify("ticked"));
  }, 40_000);

  it("a worker killed mid-task: BullMQ gives the job to another worker once the lock runs out, and the attempt is counted", async () => {
    const { dir, schedule, db, broker } = setUp("", "once_then_hang", "once in 1 second");
    const marker = join(dir, "first-attempt-started");
    writeFileSync(
      join(dir, "tasks.mjs"),
      `import { existsSync, writeFileSync } from "node:fs";
export async function once_then_hang() {
  if (existsSync(${JSON.stringify(marker)})) return "second attempt";
  writeFileSync(${JSON.stringify(marker)}, "started");
  await new Promise((resolve) => setTimeout(resolve, 120_000));
  return "first attempt";
}
`,
    );
    const scheduler = await startScheduler(schedule, broker);
    const doomed = killOnCleanup(cleanups, startOrchestra(["worker", "--schedule", schedule, "--broker", broker, "--lease", "0.5"]));
    await expect.poll(() => existsSync(marker), { timeout: 15_000, interval: 20 }).toBe(true);
    doomed.child.kill("SIGKILL");
    await doomed.exited;

    const rescuer = killOnCleanup(cleanups, startOrchestra(["worker", "--schedule", schedule, "--broker", broker, "--lease", "0.5"]));
    const runs = () => readSqliteFile<{ attempt: number; status: string; result: string | null }>(db, "select attempt, status, result from runs order by id");
    await expect.poll(() => runs().at(-1)?.status, { timeout: 20_000, interval: 50 }).toBe("success");
    rescuer.child.kill("SIGTERM");
    scheduler.child.kill("SIGTERM");
    expect(await rescuer.exited).toBe(0);
    expect(runs()).toEqual([
      { attempt: 1, status: "retry", result: null },
      { attempt: 2, status: "success", result: JSON.stringify("second attempt") },
    ]);
  }, 40_000);

  it("a worker whose SQLite store does not exist yet warns that it is not the scheduler's", async () => {
    const { dir, schedule, broker } = setUp("export function tick() {}\n", "tick", "every 1 hour");
    const elsewhere = join(dir, "elsewhere.db");
    const worker = killOnCleanup(cleanups, startOrchestra(["worker", "--schedule", schedule, "--broker", broker, "--backend", elsewhere]));
    await expect.poll(() => worker.output(), { timeout: 15_000, interval: 20 }).toContain(
      `WARN: The store ${elsewhere} did not exist and was created: runs are recorded in the scheduler's store, so give this worker the scheduler's --backend`,
    );
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    // Started again on the store it made, it has nothing to warn about: a store that exists may well be the scheduler's.
    const again = killOnCleanup(cleanups, startOrchestra(["worker", "--schedule", schedule, "--broker", broker, "--backend", elsewhere]));
    await expect.poll(() => again.output(), { timeout: 15_000, interval: 20 }).toContain("serving default");
    again.child.kill("SIGTERM");
    expect(await again.exited).toBe(0);
    expect(again.output()).not.toContain("did not exist");
    expect(existsSync(join(dir, "orchestra.db"))).toBe(false);
  }, 40_000);
});

describe.skipIf(!redisUp)(`a worker given another store than its scheduler's${REDIS_SUITE_NOTE}`, () => {
  it("is refused at start, in one line that names both stores, and leaves no file behind", async () => {
    const { dir, schedule, db, broker } = setUp("export function tick() {}\n", "tick", "every 1 hour");
    await startScheduler(schedule, broker);
    const prefix = new URL(broker).searchParams.get("prefix") ?? "";
    const client = redisClient();
    await expect.poll(() => client.exists(storeMarkerKey(prefix)), { timeout: 10_000, interval: 20 }).toBe(1);
    client.disconnect();

    const elsewhere = join(dir, "elsewhere.db");
    const refused = await orchestra(["worker", "--schedule", schedule, "--broker", broker, "--backend", elsewhere]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`orchestra: this worker would record runs into ${elsewhere}, but the scheduler dispatching through Redis at ${broker} records into another store, ${db}`);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(elsewhere)).toBe(false);
  }, 40_000);
});

describe("the broker and the store from ORCHESTRA_BROKER and ORCHESTRA_BACKEND (a password kept out of ps)", () => {
  it("are read when the options are not given, and an option wins over its variable", async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const tasks = join(dir.path, "tasks.mjs");
    writeFileSync(tasks, "export function tick() {}\n");
    const badBroker = await orchestra(["worker", "--module", tasks], { ...process.env, ORCHESTRA_BROKER: "redis://:secret@127.0.0.1:6379/zero" });
    expect(badBroker.status).toBe(2);
    expect(badBroker.stderr).toMatch(/invalid Redis URL "redis:\/\/:\*\*\*@127\.0\.0\.1:6379\/zero"/);
    expect(badBroker.stderr).not.toContain("secret");
    const backendAlone = await orchestra(["worker", "--module", tasks], { ...process.env, ORCHESTRA_BACKEND: "postgresql://orchestra:secret@db.internal/orchestra" });
    expect(backendAlone.status).toBe(2);
    expect(backendAlone.stderr).toContain("a PostgreSQL backend needs a Redis broker");
    const file = join(dir.path, "given.db");
    const worker = killOnCleanup(cleanups, startOrchestra(["worker", "--module", tasks, "--broker", file], undefined, { ORCHESTRA_BROKER: "redis://127.0.0.1:6379/zero" }));
    await expect.poll(() => worker.output(), { timeout: 15_000, interval: 20 }).toContain(`serving default from ${file}`);
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  }, 30_000);
});

describe("a bad Redis URL", () => {
  it("is a configuration error in one line, without a stack trace", async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    writeFileSync(join(dir.path, "tasks.mjs"), "export function tick() {}\n");
    const result = await orchestra(["worker", "--module", join(dir.path, "tasks.mjs"), "--broker", "redis://127.0.0.1:6379/zero"]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/invalid Redis URL "redis:\/\/127\.0\.0\.1:6379\/zero": the database "zero" is not a number/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
