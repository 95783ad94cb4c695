import { execFile, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, orchestra, type CliResult } from "../support/cli.ts";
import { tempDir } from "../support/store.ts";

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
  cleanups = [];
});

/** A folder anyone may read, with a one-job schedule and its task module. */
function folder(): string {
  const dir = tempDir("orchestra-store-files-");
  cleanups.push(dir.cleanup);
  chmodSync(dir.path, 0o755);
  writeFileSync(join(dir.path, "tasks.mjs"), "export function tick() { return 1; }\n");
  writeFileSync(join(dir.path, "small.yaml"), ["- module: ./tasks.mjs", "  schedules:", "    - name: tick", "      task: tick", "      schedule: { timing: every day at 3:00 }", ""].join("\n"));
  return dir.path;
}

const root = process.getuid?.() === 0;
/** Root writes whatever the permissions say: the tests then run the command as nobody. */
const setprivWorks = root && spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, "-e", ""]).status === 0;

/** The real command as a user that permissions apply to. */
function asUser(args: readonly string[]): Promise<CliResult> {
  const [command, prefix] = root ? ["setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath]] : [process.execPath, []];
  return new Promise((resolve) => {
    execFile(command, [...prefix, BIN, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr });
    });
  });
}

describe("SQLite store files that cannot be written", () => {
  it("a file where a folder should be: exit 2, naming the path and what is in the way", async () => {
    const dir = folder();
    const result = await orchestra(["run", join(dir, "small.yaml"), "--no-ui", "--no-worker", "--backend", join(dir, "small.yaml", "x.db")]);
    expect(result).toMatchObject({
      status: 2,
      stderr: `orchestra: cannot create the folder of the SQLite store ${join(dir, "small.yaml", "x.db")}: ${join(dir, "small.yaml")} is a file, not a folder\n`,
    });
  });

  it("a folder where the file should be", async () => {
    const dir = folder();
    mkdirSync(join(dir, "q.db"));
    const result = await orchestra(["run", join(dir, "small.yaml"), "--no-ui", "--no-worker", "--broker", join(dir, "q.db")]);
    expect(result).toMatchObject({ status: 2, stderr: `orchestra: cannot open the SQLite store ${join(dir, "q.db")}: it is a folder, not a file\n` });
  });

  describe.skipIf(root && !setprivWorks)("permissions (as root, the command runs as nobody)", () => {
    it("a read-only store in a writable folder fails at start, naming the file (it logged 'attempt to write a readonly database' forever)", async () => {
      const dir = folder();
      const store = join(dir, "shared", "orchestra.db");
      mkdirSync(join(dir, "shared"), { mode: 0o777 });
      chmodSync(join(dir, "shared"), 0o777);
      writeFileSync(store, "");
      chmodSync(store, 0o444);
      const result = await asUser(["run", join(dir, "small.yaml"), "--no-ui", "--no-worker", "--broker", store]);
      expect(result).toMatchObject({
        status: 2,
        stderr: `orchestra: the SQLite store ${store} is read-only: this user may not write it (give it write permission, or run as its owner)\n`,
      });
    });

    it("a folder that cannot be written, or made", async () => {
      const dir = folder();
      const locked = join(dir, "locked");
      mkdirSync(locked);
      chmodSync(locked, 0o555);
      const inside = await asUser(["run", join(dir, "small.yaml"), "--no-ui", "--no-worker", "--broker", join(locked, "q.db")]);
      expect(inside).toMatchObject({
        status: 2,
        stderr: `orchestra: cannot open the SQLite store ${join(locked, "q.db")}: its folder ${locked} is not writable by this user (SQLite keeps its -wal and -shm files beside the store)\n`,
      });
      const below = await asUser(["run", join(dir, "small.yaml"), "--no-ui", "--no-worker", "--broker", join(locked, "sub", "q.db")]);
      expect(below).toMatchObject({
        status: 2,
        stderr: `orchestra: cannot create the folder of the SQLite store ${join(locked, "sub", "q.db")}: the folder ${locked} is not writable by this user\n`,
      });
    });
  });
});
