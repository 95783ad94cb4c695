import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { orchestra } from "../support/cli.ts";
import { killOnCleanup, startOrchestra } from "../support/process.ts";
import { REDIS_SUITE_NOTE, redisUp } from "../support/redis.ts";
import { tempDir } from "../support/store.ts";

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A folder with a one-job schedule and its task module; the schedule's path. */
function scheduleFile(): string {
  const dir = tempDir("orchestra-cli-options-");
  cleanups.push(dir.cleanup);
  writeFileSync(join(dir.path, "tasks.mjs"), "export function tick() { return 1; }\n");
  const file = join(dir.path, "schedule.yaml");
  writeFileSync(file, ["- module: ./tasks.mjs", "  schedules:", "    - name: tick", "      task: tick", "      schedule: { timing: every day at 3:00 }", ""].join("\n"));
  return file;
}

const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

describe("orchestra --version", () => {
  it("prints package.json's version and exits 0", async () => {
    for (const flag of ["--version", "-V"]) {
      const result = await orchestra([flag]);
      expect(result).toEqual({ status: 0, stdout: `${manifest.version}\n`, stderr: "" });
    }
  });
});

describe("seconds options", () => {
  it("refuse a --grace or --lease longer than a timer waits: exit 2, the maximum named, nothing started", async () => {
    const grace = await orchestra(["run", "missing.yaml", "--grace", "3000000"]);
    expect(grace.status).toBe(2);
    expect(grace.stderr).toContain(
      "error: option '--grace <seconds>' argument '3000000' is invalid. must be a number of seconds from 0 to 2147483 (about 24.8 days, the longest a Node.js timer waits).",
    );
    const lease = await orchestra(["worker", "--module", "./missing.mjs", "--lease", "abc"]);
    expect(lease.status).toBe(2);
    expect(lease.stderr).toContain("argument 'abc' is invalid. must be a number of seconds more than 0 and at most 2147483");
  });
});

describe("ports", () => {
  it("a port past 65535 is out of range, not an invalid URL: exit 2", async () => {
    const redis = await orchestra(["run", scheduleFile(), "--no-ui", "--no-worker", "--broker", "redis://127.0.0.1:99999"]);
    expect(redis).toMatchObject({ status: 2, stderr: 'orchestra: invalid Redis URL "redis://127.0.0.1:99999": the port 99999 is out of range (1–65535) (expected redis://[user:password@]host[:port][/db][?prefix=name])\n' });
    const postgres = await orchestra(["run", scheduleFile(), "--no-ui", "--no-worker", "--broker", "redis://127.0.0.1:6379/0", "--backend", "postgresql://app:pw@127.0.0.1:99999/test"]);
    expect(postgres).toMatchObject({ status: 2, stderr: 'orchestra: invalid PostgreSQL URL "postgresql://app:***@127.0.0.1:99999/test": the port 99999 is out of range (1–65535)\n' });
  });
});

describe("empty locations", () => {
  it("refuses an empty or pathless --broker / --backend: exit 2, the reason, nothing opened", async () => {
    const cases = [
      [["run", "missing.yaml", "--broker", ""], "option '--broker <url>' argument '' is invalid. The broker is empty: give a file path, sqlite:///path.db or redis://host:6379/0."],
      [["run", "missing.yaml", "--broker", "sqlite://"], "argument 'sqlite://' is invalid. The broker names no file: give sqlite:///relative/path.db or sqlite:////absolute/path.db."],
      [["run", "missing.yaml", "--backend", "sqlite:///"], "argument 'sqlite:///' is invalid. The backend names no file"],
      [["worker", "--module", "./missing.mjs", "--backend", ""], "option '--backend <url>' argument '' is invalid. The backend is empty"],
    ] as const;
    for (const [args, message] of cases) {
      const result = await orchestra(args);
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toContain("unable to open database file");
    }
  });

  it("names the variable when ORCHESTRA_BROKER or ORCHESTRA_BACKEND is set empty", async () => {
    const broker = await orchestra(["run", scheduleFile(), "--no-ui"], { ...process.env, ORCHESTRA_BROKER: "" });
    expect(broker.status).toBe(2);
    expect(broker.stderr).toContain("error: option '--broker <url>' value '' from env 'ORCHESTRA_BROKER' is invalid. The broker is empty");
    const backend = await orchestra(["worker", "--module", "./missing.mjs"], { ...process.env, ORCHESTRA_BACKEND: "sqlite://" });
    expect(backend.status).toBe(2);
    expect(backend.stderr).toContain("value 'sqlite://' from env 'ORCHESTRA_BACKEND' is invalid. The backend names no file");
  });
});

describe("a relative --broker or --backend", () => {
  it("is the working directory's for run and worker alike (the default alone lives beside the schedule)", async () => {
    const dir = tempDir("orchestra-cli-cwd-");
    cleanups.push(dir.cleanup);
    const cwd = realpathSync(dir.path);
    mkdirSync(join(cwd, "sub"));
    writeFileSync(join(cwd, "sub", "tasks.mjs"), "export function tick() { return 1; }\n");
    writeFileSync(join(cwd, "sub", "small.yaml"), ["- module: ./tasks.mjs", "  schedules:", "    - name: tick", "      task: tick", "      schedule: { timing: every day at 3:00 }", ""].join("\n"));
    const queue = join(cwd, "q.db");
    const run = killOnCleanup(cleanups, startOrchestra(["run", "sub/small.yaml", "--no-worker", "--no-ui", "--broker", "q.db"], cwd));
    await expect.poll(() => run.output(), { timeout: 15_000, interval: 50 }).toContain(`Store: ${queue}\n`);
    const worker = killOnCleanup(cleanups, startOrchestra(["worker", "--module", "./sub/tasks.mjs", "--broker", "q.db"], cwd));
    await expect.poll(() => worker.output(), { timeout: 15_000, interval: 50 }).toContain(`serving default from ${queue}\n`);
    const fromVariable = killOnCleanup(cleanups, startOrchestra(["run", "sub/small.yaml", "--no-worker", "--no-ui"], cwd, { ORCHESTRA_BROKER: "sqlite:///v.db" }));
    await expect.poll(() => fromVariable.output(), { timeout: 15_000, interval: 50 }).toContain(`Store: ${join(cwd, "v.db")}\n`);
    const byDefault = killOnCleanup(cleanups, startOrchestra(["run", "sub/small.yaml", "--no-worker", "--no-ui"], cwd, { ORCHESTRA_BROKER: undefined }));
    await expect.poll(() => byDefault.output(), { timeout: 15_000, interval: 50 }).toContain(`Store: ${join(cwd, "sub", "orchestra.db")}\n`);
  });
});

describe("URL parameters", () => {
  it("refuses one Orchestra and its drivers do not read, with a did-you-mean: exit 2", async () => {
    const postgres = await orchestra(["run", scheduleFile(), "--no-ui", "--no-worker", "--broker", "redis://127.0.0.1:6379/0", "--backend", "postgresql://postgres@127.0.0.1:5432/test?schem=qa"]);
    expect(postgres).toMatchObject({ status: 2, stderr: 'orchestra: invalid PostgreSQL URL "postgresql://postgres@127.0.0.1:5432/test?schem=qa": unknown parameter "schem"; did you mean "schema"?\n' });
    const redis = await orchestra(["run", scheduleFile(), "--no-ui", "--no-worker", "--broker", "redis://127.0.0.1:6379/0?prefx=qa"]);
    expect(redis.status).toBe(2);
    expect(redis.stderr).toContain('unknown option "prefx"; did you mean "prefix"?');
  });
});

describe.skipIf(!redisUp)(`a Redis broker that refuses the URL${REDIS_SUITE_NOTE}`, () => {
  it("stops run at once (exit 2), naming the URL without its password; nothing is created", async () => {
    const database = await orchestra(["run", scheduleFile(), "--no-ui", "--no-worker", "--broker", "redis://127.0.0.1:6379/99?prefix=orchestra-test-cli-db"]);
    expect(database.status).toBe(2);
    expect(database.stderr).toMatch(/^orchestra: Redis at redis:\/\/127\.0\.0\.1:6379\/99\?prefix=orchestra-test-cli-db refused the connection: ERR DB index is out of range; the database 99 does not exist there/);
    const file = scheduleFile();
    const password = await orchestra(["run", file, "--no-ui", "--no-worker"], { ...process.env, ORCHESTRA_BROKER: "redis://nobody:s3cret@127.0.0.1:6379/0" });
    expect(password.status).toBe(2);
    expect(password.stderr).toBe(
      "orchestra: Redis at redis://nobody:***@127.0.0.1:6379/0 refused the connection: WRONGPASS invalid username-password pair or user is disabled; check the user and password in the URL\n",
    );
    expect(existsSync(join(dirname(file), "orchestra.db"))).toBe(false);
  });

  it("stops worker at once too (exit 2), before its store is opened", async () => {
    const file = scheduleFile();
    const refused = await orchestra(["worker", "--schedule", file, "--broker", "redis://127.0.0.1:6379/99?prefix=orchestra-test-cli-db"]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^orchestra: Redis at redis:\/\/127\.0\.0\.1:6379\/99\?prefix=orchestra-test-cli-db refused the connection: ERR DB index is out of range/);
    expect(existsSync(join(dirname(file), "orchestra.db"))).toBe(false);
  });
});
