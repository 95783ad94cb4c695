import xterm from "@xterm/headless";
import { spawn, type IPty } from "node-pty";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { BIN } from "../support/cli.ts";
import { tempDir } from "../support/store.ts";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));
const COLS = 200;
const ROWS = 50;
const HIDE_CURSOR = "\u001b[?25l";
const SHOW_CURSOR = "\u001b[?25h";

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
  cleanups = [];
});

/** `orchestra run` on a real pseudo-terminal, its output fed to a real terminal emulator (xterm.js). */
function runOnTerminal(
  args: readonly string[],
  cwd: string,
): { pty: IPty; screen: () => Promise<string>; resize: (cols: number, rows: number) => void; raw: () => string; exited: Promise<number> } {
  const terminal = new xterm.Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true });
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== "NO_COLOR" && key !== "FORCE_COLOR") env[key] = value;
  const pty = spawn(process.execPath, [BIN, ...args], { name: "xterm-256color", cols: COLS, rows: ROWS, cwd, env: { ...env, TERM: "xterm-256color" } });
  let raw = "";
  pty.onData((data) => {
    raw += data;
    terminal.write(data);
  });
  const exited = new Promise<number>((resolve) => {
    pty.onExit(({ exitCode }) => {
      resolve(exitCode);
    });
  });
  cleanups.push(() => {
    try {
      pty.kill("SIGKILL");
    } catch {
      // already gone
    }
    terminal.dispose();
  });
  /** What the terminal shows now, once everything received so far is parsed. */
  const screen = (): Promise<string> =>
    new Promise((resolve) => {
      terminal.write("", () => {
        const buffer = terminal.buffer.active;
        const lines: string[] = [];
        for (let y = 0; y < terminal.rows; y++) lines.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? "");
        resolve(lines.join("\n"));
      });
    });
  /** The window is resized: the emulator re-wraps what it shows, the program gets SIGWINCH. */
  const resize = (cols: number, rows: number): void => {
    terminal.resize(cols, rows);
    pty.resize(cols, rows);
  };
  return { pty, screen, resize, raw: () => raw, exited };
}

const succeeded = (screen: string): number => Number(/Orchestrating jobs .*succeeded (\d+)/.exec(screen)?.[1] ?? -1);

describe("orchestra run on a terminal", () => {
  it("shows the live table of the example's jobs, counts successes as they come, and leaves a clean terminal on Ctrl-C", async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    // A copy, so that examples/orchestra.db is not touched.
    for (const file of ["schedule.yaml", "tasks.ts"]) copyFileSync(join(EXAMPLES, file), join(dir.path, file));
    const run = runOnTerminal(["run", join(dir.path, "schedule.yaml")], dir.path);

    // The every-second job's row once its first run is in the store (the table re-reads it after each event).
    await expect
      .poll(() => run.screen(), { timeout: 10_000, interval: 50 })
      .toMatch(/Running +CYCLIC +short_task_every_1_second +tasks\.short_task +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +UTC +0:00:0\d +\d+\/inf +cpu,fast +success \d+s ago/);
    const first = await run.screen();
    expect(first).toMatch(/State +Schedule +Job name +Module and task +Due at +Timezone +Due in +Attempts +Tags +Last run/);
    expect(succeeded(first)).toBeGreaterThanOrEqual(1);
    expect(first).toMatch(/Running +WEEKLY +task_every_Monday_at_03_15_00_US +tasks\.long_task +.+ +America\/Boise +(?:\d+ days?|\d+:\d\d:\d\d) +0\/inf +gpu/);
    expect(first).toMatch(/Running +ONCE +task_2030_04_01_09_13 +tasks\.long_task +2030-04-01 09:13:00 +Europe\/Berlin +\d+ days +0\/1 +gpu/);
    expect(first).toContain("exception_task_every_10_second");
    // The log is above the table, in the human format.
    expect(first.indexOf("INFO: Dispatched short_task_every_1_second")).toBeGreaterThanOrEqual(0);
    expect(first.indexOf("INFO: Dispatched short_task_every_1_second")).toBeLessThan(first.indexOf("Job name"));
    const count = succeeded(first);
    await expect.poll(() => run.screen().then(succeeded), { timeout: 5_000, interval: 50 }).toBeGreaterThan(count);
    // One frame on screen, redrawn in place: the header is there once.
    expect((await run.screen()).match(/State +Schedule +Job name/g)).toHaveLength(1);

    // Narrower: the table is redrawn to fit, dropping columns rather than wrapping.
    run.resize(80, ROWS);
    await expect.poll(() => run.screen(), { timeout: 5_000, interval: 50 }).toMatch(/^State +Schedule +Job name +Due in +Attempts +Last run$/m);
    const narrow = await run.screen();
    expect(narrow.match(/State +Schedule +Job name/g)).toHaveLength(1);
    expect(narrow).toMatch(/^Running +CYCLIC +short_task_every_1_\S*… +0:00:0\d +\d+\/inf +success \d+s ago$/m);

    run.pty.write("\u0003"); // Ctrl-C
    expect(await run.exited).toBe(0);
    const last = await run.screen();
    expect(last).toContain("Received SIGINT: stopping");
    expect(last).toContain("Orchestra stopped");
    expect(last).not.toContain("Orchestrating jobs");
    expect(last).not.toMatch(/State +Schedule +Job name/);
    expect(run.raw()).toContain(HIDE_CURSOR);
    expect(run.raw().lastIndexOf(SHOW_CURSOR)).toBeGreaterThan(run.raw().lastIndexOf(HIDE_CURSOR));
  }, 20_000);
});
