import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { orchestra } from "../support/cli.ts";

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/schedules/${name}`, import.meta.url));

async function scheduleFile(content: string | Buffer, name = "schedule.yaml"): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), "orchestra-validate-")), name);
  await writeFile(file, content);
  return file;
}

describe("orchestra validate (the CLI contract)", () => {
  it("a valid file: exit 0 and one summary line per file", async () => {
    const result = await orchestra(["validate", fixture("seed.yaml"), fixture("features.yaml")]);
    // The seed's table has two ONCE dates of 2023: valid, but told.
    expect(result.stderr).toBe(
      `${fixture("seed.yaml")}:64:27: warning: 2023-04-01 09:13 (Europe/Berlin) is in the past: the job would never run\n` +
        `${fixture("seed.yaml")}:67:27: warning: 2023-04-01 09:13:11 (Europe/Berlin) is in the past: the job would never run\n`,
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${fixture("seed.yaml")}: 23 jobs valid\n${fixture("features.yaml")}: 4 jobs valid (1 disabled)\n`);
  });

  it("an invalid file: exit 2, every problem as file:line:column: message on stderr, no stack trace", async () => {
    const file = fixture("invalid/everything.yaml");
    const result = await orchestra(["validate", file]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(16);
    expect(lines[0]).toBe(`${file}:3:11: cannot load task module "../broken-import.ts": Error: database URL is not set`);
    expect(lines[1]).toBe(`${file}:13:24: invalid timing: unknown word "Mondey"; did you mean "Monday"?`);
    expect(lines.slice(0, 15).every((line) => line.startsWith(`${file}:`))).toBe(true);
    expect(lines[15]).toBe("orchestra: 15 problems; nothing was started");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("--no-check-tasks does not import the modules", async () => {
    const file = fixture("invalid/everything.yaml");
    const result = await orchestra(["validate", "--no-check-tasks", file]);
    expect(result.status).toBe(2);
    expect(result.stderr).not.toContain("cannot load task module");
    expect(result.stderr).toContain("orchestra: 11 problems; nothing was started");
  });

  it("an alias bomb is refused at once with one problem at the alias, not expanded for minutes", async () => {
    const lines = ["a: &a [x,x,x,x,x,x,x,x,x,x]"];
    for (const [name, previous] of ["b", "c", "d", "e", "f", "g", "h"].map((letter, i) => [letter, "abcdefg".charAt(i)] as const)) {
      lines.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(",")}]`);
    }
    const file = await scheduleFile(lines.join("\n") + "\n", "bomb.yaml");
    const result = await orchestra(["validate", file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `${file}:5:29: alias *d expands to more than 100000 values (aliases of aliases grow exponentially): write the values out\n` +
        "orchestra: 1 problem; nothing was started\n",
    );
  });

  it("a file saved with a byte-order mark (Windows Notepad) is read as without it", async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const text = "- module: ./tasks.ts\n  schedules:\n    - name: a\n      task: short_task\n      schedule: { timing: every day }\n";
    const file = await scheduleFile(Buffer.concat([bom, Buffer.from(text)]));
    const result = await orchestra(["validate", "--no-check-tasks", file]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(`${file}: 1 job valid\n`);
    expect(result.status).toBe(0);
  });

  it("a binary file is not dumped into the error: one short line, control characters escaped", async () => {
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919 + 13) % 256));
    const file = await scheduleFile(Buffer.concat([Buffer.from("PK\u0003\u0004"), bytes]), "archive.yaml");
    const result = await orchestra(["validate", file]);
    expect(result.status).toBe(2);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines.at(-1)).toMatch(/^orchestra: \d+ problems?; nothing was started$/);
    expect(result.stderr.length).toBeLessThan(2000);
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(result.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it("a ONCE date in the past is a warning on stderr: the file is valid and the exit status 0", async () => {
    const file = await scheduleFile("- module: ./tasks.ts\n  schedules:\n    - name: a\n      task: short_task\n      schedule: { timing: 2020-01-01 09:00 }\n");
    const result = await orchestra(["validate", "--no-check-tasks", file]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(`${file}:5:27: warning: 2020-01-01 09:00 (UTC) is in the past: the job would never run\n`);
    expect(result.stdout).toBe(`${file}: 1 job valid\n`);
  });
});
