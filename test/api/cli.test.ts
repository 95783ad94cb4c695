import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { orchestra } from "../support/cli.ts";
import { startOrchestra, type RunningProcess } from "../support/process.ts";
import { tempDir } from "../support/store.ts";

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function scheduleFile(): string {
  const dir = tempDir("orchestra-api-cli-");
  cleanups.push(dir.cleanup);
  writeFileSync(join(dir.path, "tasks.mjs"), "export function tick() { return 1; }\n");
  const file = join(dir.path, "schedule.yaml");
  writeFileSync(
    file,
    ["- module: ./tasks.mjs", "  schedules:", "    - name: daily_tick", "      task: tick", "      schedule: { timing: every day at 3:00 }", "      tags: [cli]", ""].join("\n"),
  );
  return file;
}

function withoutToken(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.ORCHESTRA_API_TOKEN;
  return env;
}

describe("orchestra run --api", () => {
  it("refuses a non-loopback address without a token: exit 2, a clear message, nothing started", async () => {
    const file = scheduleFile();
    const result = await orchestra(["run", file, "--no-ui", "--api-address", "0.0.0.0:5000"], withoutToken());
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^orchestra: refusing to serve the REST API on 0\.0\.0\.0:5000 without a token: .*Set a token \(apiToken, --api-token or ORCHESTRA_API_TOKEN\), or listen on 127\.0\.0\.1\n$/);
    expect(result.stderr).not.toContain("    at ");
    expect(result.stdout).not.toContain("Orchestra starting");
  });

  it("refuses a malformed address the same way", async () => {
    const result = await orchestra(["run", scheduleFile(), "--no-ui", "--api-address", "localhost"], withoutToken());
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('orchestra: invalid API address "localhost": expected HOST:PORT, such as 127.0.0.1:5000 or [::1]:5000\n');
  });

  it("serves the API while it runs, logs what it changes, and stops on SIGINT", async () => {
    const file = scheduleFile();
    const token = "cli-token";
    const running: RunningProcess = startOrchestra(["run", file, "--no-ui", "--api-address", "127.0.0.1:0", "--api-token", token]);
    cleanups.push(async () => {
      if (running.child.exitCode === null && running.child.signalCode === null) {
        running.child.kill("SIGKILL");
        await running.exited;
      }
    });
    await expect.poll(() => /REST API on http:\/\/127\.0\.0\.1:\d+ \(Swagger UI at .*\/docs\)/.test(running.output()), { timeout: 15_000, interval: 50 }).toBe(true);
    const url = /REST API on (http:\/\/127\.0\.0\.1:\d+)/.exec(running.output())?.[1] ?? "";
    const headers = { authorization: `Bearer ${token}` };
    expect((await fetch(`${url}/api/jobs`)).status).toBe(401);
    const jobs = (await (await fetch(`${url}/api/jobs?tags=cli`, { headers })).json()) as { jobs: { name: string; source: string }[] };
    expect(jobs.jobs.map((job) => job.name)).toEqual(["daily_tick"]);
    expect((await fetch(`${url}/api/jobs/daily_tick/pause`, { method: "PUT", headers })).status).toBe(200);
    await expect.poll(() => running.output(), { timeout: 5000, interval: 50 }).toContain("Paused job daily_tick");
    running.child.kill("SIGINT");
    expect(await running.exited).toBe(0);
    expect(running.output()).toContain("Orchestra stopped");
  });
});
