import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ErrorCode, loadScheduleFile, loadScheduleFiles, ScheduleValidationError, type ScheduleProblem } from "../../../src/index.ts";

const FIXTURES = fileURLToPath(new URL("../../fixtures/schedules/", import.meta.url));
const fixture = (name: string): string => path.join(FIXTURES, name);

async function problemsOf(load: Promise<unknown>): Promise<ScheduleValidationError> {
  try {
    await load;
  } catch (error) {
    if (error instanceof ScheduleValidationError) return error;
    throw error;
  }
  throw new Error("the schedule was accepted");
}

/** `line:column message`, the part of each problem that does not depend on where the repository is. */
const located = (problems: readonly ScheduleProblem[]): string[] => problems.map((p) => `${p.line}:${p.column} ${p.message}`);

async function schedule(text: string, name = "schedule.yaml"): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "orchestra-schedule-"));
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

describe("every problem of a file is reported at once, each at its line and column", () => {
  it("unknown keys (with did-you-mean), missing keys and wrong types", async () => {
    const error = await problemsOf(loadScheduleFile(fixture("invalid/keys.yaml")));
    expect(error.code).toBe(ErrorCode.ScheduleInvalid);
    expect(located(error.problems)).toEqual([
      '9:9 unknown key "timezon" in schedule; did you mean "timezone"?',
      '10:7 job "typo-in-schedule" has no "schedule"',
      '12:7 unknown key "schedual" in job; did you mean "schedule"?',
      '14:7 a job has no "name"',
      '17:13 "task" must be a string, not a list',
      '18:16 "enabled" must be true or false, not the string "yes"',
      '19:27 "timing" must be a string, not the number 42',
      '20:13 "tags" must be a list of strings, not the string "cpu"',
      '22:20 "max_catchup" must be a whole number ≥ 1 and at most 10000, not -1',
      '23:3 a block has no "module"',
      '24:14 "schedules" must be a list of jobs, not a map',
    ]);
  });

  it("timing, zone, missed policy, options, duplicates, modules and tasks", async () => {
    const error = await problemsOf(loadScheduleFile(fixture("invalid/everything.yaml")));
    expect(located(error.problems)).toEqual([
      '3:11 cannot load task module "../broken-import.ts": Error: database URL is not set',
      '13:24 invalid timing: unknown word "Mondey"; did you mean "Monday"?',
      "17:30 invalid timing: hour 25 is out of range (0–23)",
      '20:56 unknown timezone "Europe/Pariss"; did you mean "Europe/Paris"?',
      '24:15 "missed" must be one of skip, once, all, not the string "twice"',
      '29:9 unknown key "queu" in additional_options; did you mean "queue"?',
      '30:19 "additional_options.priority" must be a whole number ≥ -1000000 and at most 1000000, not the string "high"',
      '31:20 "additional_options.countdown" must be a number of seconds ≥ 0 and at most 315360000 (10 years), not -5',
      '32:18 "additional_options.retries" must be a whole number ≥ 0 and at most 1000, not 1.5',
      '33:18 "additional_options.timeout" must be a number of seconds > 0 and at most 2147483 (about 24.8 days, the longest a Node.js timer waits), not 0',
      '34:15 "additional_options.args" must be a list of JSON values, not the string "not-a-list"',
      '35:13 duplicate job name "bad-timing": first defined at line 10',
      '36:13 module "../tasks.ts" has no export "shrot_task"; did you mean "short_task"?',
      '39:13 export "VERSION" of "../tasks.ts" is not a function but a string',
      `41:11 cannot find task module "./missing-module.ts" (no file ${fixture("invalid/missing-module.ts")})`,
    ]);
  });

  it("formats each problem as file:line:column: message, one per line", async () => {
    const file = fixture("invalid/everything.yaml");
    const error = await problemsOf(loadScheduleFile(file));
    const lines = error.message.split("\n");
    expect(lines).toHaveLength(error.problems.length);
    expect(lines[1]).toBe(`${file}:13:24: invalid timing: unknown word "Mondey"; did you mean "Monday"?`);
  });

  it("a timing error inside a quoted or plain scalar points at the offending word on the line", async () => {
    const file = await schedule(
      [
        "- module: ./tasks.ts",
        "  schedules:",
        "    - name: quoted",
        "      task: t",
        "      schedule: { timing: 'every Tusday at 9:00' }",
        "    - name: folded",
        "      task: t",
        "      schedule:",
        "        timing: >-",
        "          every Tusday",
        "          at 9:00",
      ].join("\n"),
    );
    const error = await problemsOf(loadScheduleFile(file, { checkTasks: false }));
    expect(located(error.problems)).toEqual([
      '5:34 invalid timing: unknown word "Tusday"; did you mean "Tuesday"?',
      // A block scalar does not map column for column: the value is pointed at, the column kept.
      '9:17 invalid timing "every Tusday at 9:00": unknown word "Tusday" at column 7; did you mean "Tuesday"?',
    ]);
  });

  it("JSON files get the same positions", async () => {
    const error = await problemsOf(loadScheduleFile(fixture("invalid/problems.json")));
    expect(located(error.problems)).toEqual([
      '8:40 invalid timing: unknown word "Mondey"; did you mean "Monday"?',
      '8:57 unknown key "timezon" in schedule; did you mean "timezone"?',
    ]);
  });

  it("a YAML syntax error is reported with the parser's position, and the broken structure is not judged", async () => {
    const error = await problemsOf(loadScheduleFile(fixture("invalid/syntax.yaml")));
    expect(located(error.problems)).toEqual(["7:5 YAML syntax: Flow map in block collection must be sufficiently indented and end with a }"]);
  });

  it("a duplicate key is a problem, and the rest of the file is still checked", async () => {
    const file = await schedule("- module: ./t.ts\n  module: ./u.ts\n  schedules:\n    - name: x\n      task: t\n      schedule: { timing: every dya }\n");
    const error = await problemsOf(loadScheduleFile(file, { checkTasks: false }));
    expect(located(error.problems)).toEqual([
      '2:3 duplicate key "module": each key may appear once in a map',
      '6:33 invalid timing: unknown word "dya"; did you mean "day"?',
    ]);
  });

  it("the top level must be a list; a block without its dash gets a hint", async () => {
    const error = await problemsOf(loadScheduleFile(fixture("invalid/shape.yaml")));
    expect(located(error.problems)).toEqual([
      '1:1 a schedule must be a list of blocks, not a map; write the block as a list item: "- module: …"',
    ]);
    const scalar = await problemsOf(loadScheduleFile(await schedule("just words\n")));
    expect(located(scalar.problems)).toEqual([
      '1:1 a schedule must be a list of blocks, not the string "just words" (- module: …, schedules: […])',
    ]);
  });

  it("an empty file and a missing file are problems too", async () => {
    const empty = await problemsOf(loadScheduleFile(await schedule("# nothing yet\n")));
    expect(located(empty.problems)).toEqual(["1:1 the file is empty: a schedule is a list of blocks (- module: …, schedules: […])"]);
    const missing = await problemsOf(loadScheduleFile("no/such/schedule.yaml"));
    expect(missing.message).toBe("no/such/schedule.yaml: cannot read the schedule file: no such file");
  });

  it("names are unique across files: the second is reported with the first's file and line", async () => {
    const other = await schedule("- module: ./tasks.ts\n  schedules:\n    - name: json_short_task\n      task: t\n      schedule: { timing: every hour }\n");
    const error = await problemsOf(loadScheduleFiles([fixture("seed.json"), other], { checkTasks: false }));
    expect(error.problems.map((p) => [p.file, p.line, p.column, p.message])).toEqual([
      [other, 3, 13, `duplicate job name "json_short_task": first defined at ${fixture("seed.json")}:7`],
    ]);
  });

  it("disabled jobs are validated like the others", async () => {
    const file = await schedule("- module: ./t.ts\n  schedules:\n    - name: off\n      task: t\n      enabled: false\n      schedule: { timing: evry day }\n");
    const error = await problemsOf(loadScheduleFile(file, { checkTasks: false }));
    expect(located(error.problems)).toEqual(['6:27 invalid timing: unknown word "evry"; did you mean "every"?']);
  });

  it("max_catchup without missed: all is refused, since it would do nothing", async () => {
    const file = await schedule("- module: ./t.ts\n  schedules:\n    - name: a\n      task: t\n      schedule: { timing: every hour }\n      max_catchup: 5\n");
    const error = await problemsOf(loadScheduleFile(file, { checkTasks: false }));
    expect(located(error.problems)).toEqual(['6:20 "max_catchup" applies only with "missed: all" (this job has missed: once)']);
  });

  it("args and kwargs must be JSON data; expires must leave time after the countdown", async () => {
    const file = await schedule(
      "- module: ./t.ts\n  schedules:\n    - name: a\n      task: t\n      schedule: { timing: every hour }\n" +
        "      additional_options: { args: [1, .nan], kwargs: [1], countdown: 60, expires: 30 }\n",
    );
    const error = await problemsOf(loadScheduleFile(file, { checkTasks: false }));
    expect(located(error.problems)).toEqual([
      '6:39 "additional_options.args" must hold JSON data only (strings, finite numbers, booleans, null, lists, maps), not the number NaN',
      '6:54 "additional_options.kwargs" must be a map of named arguments, not a list',
      '6:83 "additional_options.expires" (30 s) must be greater than "countdown" (60 s), or every run would expire before it may start',
    ]);
  });

  it("countdown and expires at most 10 years, priority within ±1000000, retries at most 1000, max_catchup at most 10000", async () => {
    const file = await schedule(
      "- module: ./t.ts\n  schedules:\n    - name: a\n      task: t\n      schedule: { timing: every hour }\n" +
        "      additional_options: { countdown: 1e16, expires: 315360001, priority: 1000001, retries: 1001 }\n" +
        "      missed: all\n      max_catchup: 10001\n" +
        "    - name: b\n      task: t\n      schedule: { timing: every hour }\n" +
        "      additional_options: { countdown: 315359999.5, expires: 315360000, priority: -1000000, retries: 1000 }\n" +
        "      missed: all\n      max_catchup: 10000\n",
    );
    const error = await problemsOf(loadScheduleFile(file, { checkTasks: false }));
    expect(located(error.problems)).toEqual([
      '6:40 "additional_options.countdown" must be a number of seconds ≥ 0 and at most 315360000 (10 years), not 10000000000000000',
      '6:55 "additional_options.expires" must be a number of seconds > 0 and at most 315360000 (10 years), not 315360001',
      '6:76 "additional_options.priority" must be a whole number ≥ -1000000 and at most 1000000, not 1000001',
      '6:94 "additional_options.retries" must be a whole number ≥ 0 and at most 1000, not 1001',
      '8:20 "max_catchup" must be a whole number ≥ 1 and at most 10000, not 10001',
    ]);
  });

  it("a timeout longer than a Node.js timer waits is refused, naming the maximum", async () => {
    const file = await schedule(
      "- module: ./t.ts\n  schedules:\n    - name: a\n      task: t\n      schedule: { timing: every hour }\n" +
        "      additional_options: { timeout: 2147484 }\n",
    );
    const error = await problemsOf(loadScheduleFile(file, { checkTasks: false }));
    expect(located(error.problems)).toEqual([
      '6:38 "additional_options.timeout" must be a number of seconds > 0 and at most 2147483 (about 24.8 days, the longest a Node.js timer waits), not 2147484',
    ]);
  });

  it("names, tasks, zones, queues and tags hold no control characters; tags neither commas nor white space at either end", async () => {
    const file = await schedule(
      '- module: ./t.ts\n  schedules:\n    - name: "t\\u0001b"\n      task: "t\\0"\n      schedule: { timing: every hour, timezone: "UTC\\x7f" }\n' +
        '      additional_options: { queue: "q\\0" }\n      tags: ["a,b", " sp ", "ok", "c\\td"]\n',
    );
    const error = await problemsOf(loadScheduleFile(file, { checkTasks: false }));
    expect(located(error.problems)).toEqual([
      '3:13 "name" must not hold control characters (U+0001 at character 2)',
      '4:13 "task" must not hold control characters (U+0000 at character 2)',
      '5:49 "timezone" must not hold control characters (U+007F at character 4)',
      '6:36 "additional_options.queue" must not hold control characters (U+0000 at character 2)',
      '7:14 "tags[0]" ("a,b") must not hold a comma: tags=a,b filters split at commas, so none could select it',
      '7:21 "tags[1]" (" sp ") must not start or end with white space: tags= filters trim it, so none could select it',
      '7:35 "tags[3]" must not hold control characters (U+0009 at character 2)',
    ]);
  });

  it("long texts are refused by their length, without being echoed", async () => {
    const timing = `every ${"9".repeat(300)} seconds`;
    const file = await schedule(
      `- module: ./${"m".repeat(1001)}.ts\n  schedules:\n    - name: ${"n".repeat(201)}\n      task: t\n      schedule: { timing: "${timing}" }\n`,
    );
    const error = await problemsOf(loadScheduleFile(file, { checkTasks: false }));
    expect(located(error.problems)).toEqual([
      '1:11 "module" is too long: 1006 characters, at most 1000',
      '3:13 "name" is too long: 201 characters, at most 200',
      '5:27 "timing" is too long: 314 characters, at most 200',
    ]);
  });

  it("args and kwargs nest at most 32 levels, take at most 64 KiB as JSON, and hold no U+0000", async () => {
    const nested = (depth: number): string => "[".repeat(depth) + "]".repeat(depth);
    const job = (name: string, options: string): string =>
      `    - name: ${name}\n      task: t\n      schedule: { timing: every hour }\n      additional_options: ${options}\n`;
    const file = await schedule(
      "- module: ./t.ts\n  schedules:\n" +
        job("deep", `{ args: ${nested(100)} }`) + // the YAML parser gives up past 800 levels or so
        job("large", `{ kwargs: { text: ${"x".repeat(70_000)} } }`) +
        job("nul", '{ args: ["a\\0b"], kwargs: { "k\\0": 1 } }') +
        job("deepest", `{ args: ${nested(32)} }`),
    );
    const error = await problemsOf(loadScheduleFile(file, { checkTasks: false }));
    expect(located(error.problems)).toEqual([
      '6:35 "additional_options.args" nests deeper than 32 levels of lists and maps',
      '10:37 "additional_options.kwargs" is 70011 bytes as JSON, more than 65536 (64 KiB)',
      '14:35 "additional_options.args" must not hold U+0000 in a string (PostgreSQL text cannot hold it)',
      '14:53 "additional_options.kwargs" must not hold U+0000 in a string (PostgreSQL text cannot hold it)',
    ]);
  });

  it("a module is imported once however many blocks name it, and reported at each block", async () => {
    const block = "- module: ./broken.ts\n  schedules:\n    - name: NAME\n      task: t\n      schedule: { timing: every hour }\n";
    const file = await schedule(block.replace("NAME", "a") + block.replace("NAME", "b"));
    const error = await problemsOf(loadScheduleFile(file));
    expect(error.problems.map((p) => p.line)).toEqual([1, 6]);
    expect(error.problems[0]?.message).toMatch(/^cannot find task module "\.\/broken\.ts"/);
  });

  it("with checkTasks: false, modules are not imported (a missing one is no problem)", async () => {
    const { jobs } = await loadScheduleFile(fixture("invalid/keys.yaml").replace("invalid/keys.yaml", "seed.yaml"), { checkTasks: false });
    expect(jobs).toHaveLength(23);
    const file = await schedule("- module: ./nowhere.ts\n  schedules:\n    - name: a\n      task: t\n      schedule: { timing: every hour }\n");
    const load = await loadScheduleFile(file, { checkTasks: false });
    expect(load.jobs[0]?.module).toBe(path.join(path.dirname(file), "nowhere.ts"));
  });
});

describe("messages that say how to fix the slip", () => {
  it("a timing written directly under schedule", async () => {
    const file = await schedule("- module: ./t.ts\n  schedules:\n    - name: a\n      task: t\n      schedule: every hour\n");
    const error = await problemsOf(loadScheduleFile(file, { checkTasks: false }));
    expect(located(error.problems)).toEqual(['5:17 "schedule" must be a map, not the string "every hour"; write schedule: { timing: "every hour" }']);
  });

  it("aliases are followed, and yes stays a string (YAML 1.2), so enabled: yes is refused rather than guessed", async () => {
    const file = await schedule(
      "- module: ./t.ts\n  schedules:\n    - name: a\n      task: t\n      schedule: &hourly { timing: every hour }\n" +
        "    - name: b\n      task: t\n      schedule: *hourly\n      enabled: yes\n",
    );
    const error = await problemsOf(loadScheduleFile(file, { checkTasks: false }));
    expect(located(error.problems)).toEqual(['9:16 "enabled" must be true or false, not the string "yes"']);
  });
});

describe("files built to exhaust the reader are refused quickly, with one problem", () => {
  it("an alias bomb (aliases of aliases, eight lines, 10^8 values) stops at the alias whose expansion passes the cap", async () => {
    const lines = ["a: &a [x,x,x,x,x,x,x,x,x,x]"];
    for (const [name, previous] of ["b", "c", "d", "e", "f", "g", "h"].map((letter, i) => [letter, "abcdefg".charAt(i)] as const)) {
      lines.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(",")}]`);
    }
    const started = Date.now();
    const error = await problemsOf(loadScheduleFile(await schedule(lines.join("\n") + "\n"), { checkTasks: false }));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(located(error.problems)).toEqual([
      "5:29 alias *d expands to more than 100000 values (aliases of aliases grow exponentially): write the values out",
    ]);
  });

  it("aliases that share a schedule's parts are far below the cap", async () => {
    const jobs = Array.from({ length: 200 }, (_, i) => `    - { name: j${i}, task: t, schedule: *daily, additional_options: *options }\n`);
    const file = await schedule(
      "- module: ./t.ts\n  schedules:\n    - { name: first, task: t, schedule: &daily { timing: every day }, additional_options: &options { queue: q, args: [1, 2, 3] } }\n" +
        jobs.join(""),
    );
    expect((await loadScheduleFile(file, { checkTasks: false })).jobs).toHaveLength(201);
  });

  it.each([
    ["flow lists 1000 deep", "[".repeat(1000) + "]".repeat(1000) + "\n"],
    ["five of them", Array.from({ length: 5 }, (_, i) => `k${i}: ${"[".repeat(900)}${"]".repeat(900)}\n`).join("")],
    ["block lists 300 deep", Array.from({ length: 300 }, (_, i) => `${"  ".repeat(i)}-\n`).join("")],
  ])("%s: one problem, nested too deeply", async (_, text) => {
    const error = await problemsOf(loadScheduleFile(await schedule(text), { checkTasks: false }));
    expect(error.problems.map((p) => p.message)).toEqual(["nested too deeply: a schedule holds at most 200 levels of lists and maps"]);
  });
});

describe("a byte-order mark (as Windows Notepad saves) is not part of the text", () => {
  const yaml = "- module: ./t.ts\n  schedules:\n    - name: a\n      task: t\n      schedule: { timing: every Mondey }\n";
  const json = '[{"module": "./t.ts", "schedules": [{"name": "a", "task": "t", "schedule": {"timing": "every Mondey"}}]}]';

  it.each([
    ["schedule.yaml", yaml, "5:33"],
    ["schedule.json", json, "1:94"],
  ])("%s: read as without it, with the same lines and columns", async (name, text, at) => {
    const error = await problemsOf(loadScheduleFile(await schedule(`\uFEFF${text}`, name), { checkTasks: false }));
    expect(located(error.problems)).toEqual([`${at} invalid timing: unknown word "Mondey"; did you mean "Monday"?`]);
  });

  it("a valid file with a byte-order mark loads", async () => {
    const file = await schedule(`\uFEFF${yaml.replace("Mondey", "Monday")}`);
    expect((await loadScheduleFile(file, { checkTasks: false })).jobs.map((job) => job.name)).toEqual(["a"]);
  });
});

describe("a bad zone does not hide a bad timing", () => {
  it("timezone: Berlin suggests Europe/Berlin", async () => {
    const file = await schedule("- module: ./t.ts\n  schedules:\n    - name: a\n      task: t\n      schedule: { timing: every day, timezone: Berlin }\n");
    const error = await problemsOf(loadScheduleFile(file, { checkTasks: false }));
    expect(located(error.problems)).toEqual(['5:48 unknown timezone "Berlin"; did you mean "Europe/Berlin"?']);
  });

  it.each([
    ['""', '6:19 "timezone" must not be empty'],
    ["5", '6:19 "timezone" must be a string, not the number 5'],
    ["Europe/Berlinn", '6:19 unknown timezone "Europe/Berlinn"; did you mean "Europe/Berlin"?'],
  ])("timezone: %s and timing: evry day: both are reported", async (zone, zoneProblem) => {
    const file = await schedule(
      `- module: ./t.ts\n  schedules:\n    - name: a\n      task: t\n      schedule:\n        timezone: ${zone}\n        timing: "evry day"\n`,
    );
    const error = await problemsOf(loadScheduleFile(file, { checkTasks: false }));
    expect(located(error.problems)).toEqual([zoneProblem, '7:18 invalid timing: unknown word "evry"; did you mean "every"?']);
  });
});

describe("what a problem repeats of the file stays on its line and short", () => {
  it("a timing from a folded block (>) ends in a newline: shown as \\n", async () => {
    const file = await schedule("- module: ./t.ts\n  schedules:\n    - name: a\n      task: t\n      schedule:\n        timing: >\n          every day\n          at 9h15\n");
    const error = await problemsOf(loadScheduleFile(file, { checkTasks: false }));
    expect(located(error.problems)).toEqual(['6:17 invalid timing "every day at 9h15\\n": "9h15" is not a time at column 14; did you mean "9:15"?']);
  });

  it("a binary file is not dumped into the message: at most 80 characters, control characters escaped", async () => {
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 256));
    const file = await schedule("");
    await writeFile(file, Buffer.concat([Buffer.from("binary\u0007\t"), bytes]));
    const error = await problemsOf(loadScheduleFile(file, { checkTasks: false }));
    expect(error.message.length).toBeLessThan(600);
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(error.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(error.message).toContain("binary\\u0007\\t");
  });

  it("a long string where a list belongs is cut at 80 characters", async () => {
    const error = await problemsOf(loadScheduleFile(await schedule(`${"word ".repeat(100)}\n`)));
    expect(error.problems[0]?.message).toBe(`a schedule must be a list of blocks, not the string "${"word ".repeat(16)}…" (- module: …, schedules: […])`);
  });
});

describe("aliases and merge keys", () => {
  it("merge keys (<<) bring a map's keys, the job's own keys win, and a list of maps merges in order", async () => {
    const file = await schedule(
      "- module: ./t.ts\n  schedules:\n    - &defaults\n      name: a\n      task: t\n      schedule: { timing: every day, timezone: Europe/Berlin }\n      tags: [nightly]\n" +
        "    - <<: *defaults\n      name: b\n      tags: [own]\n" +
        "    - <<: [*defaults, { task: u, missed: skip }]\n      name: c\n",
    );
    const { jobs } = await loadScheduleFile(file, { checkTasks: false });
    expect(jobs.map(({ name, task, timezone, tags, missed }) => ({ name, task, timezone, tags, missed }))).toEqual([
      { name: "a", task: "t", timezone: "Europe/Berlin", tags: ["nightly"], missed: "once" },
      { name: "b", task: "t", timezone: "Europe/Berlin", tags: ["own"], missed: "once" },
      { name: "c", task: "t", timezone: "Europe/Berlin", tags: ["nightly"], missed: "skip" },
    ]);
  });

  it("a problem in merged keys points at the anchor, once; a merge key must name maps", async () => {
    const file = await schedule(
      "- module: ./t.ts\n  schedules:\n    - &defaults\n      name: a\n      task: t\n      schedule: { timing: every day }\n      additional_options: { queu: q }\n" +
        "    - <<: *defaults\n      name: b\n    - <<: *defaults\n      name: c\n    - <<: 5\n      name: d\n      task: t\n      schedule: { timing: every day }\n",
    );
    const error = await problemsOf(loadScheduleFile(file, { checkTasks: false }));
    expect(located(error.problems)).toEqual([
      '7:29 unknown key "queu" in additional_options; did you mean "queue"?',
      "12:11 a merge key (<<) takes a map or a list of maps, such as *defaults or [*a, *b]",
    ]);
  });

  it("a value an alias repeats is reported once, at its place in the text", async () => {
    const file = await schedule(
      "- module: ./t.ts\n  schedules:\n    - name: a\n      task: t\n      schedule: &s { timing: every dya }\n" +
        "    - name: b\n      task: t\n      schedule: *s\n    - name: c\n      task: t\n      schedule: *s\n",
    );
    const error = await problemsOf(loadScheduleFile(file, { checkTasks: false }));
    expect(located(error.problems)).toEqual(['5:36 invalid timing: unknown word "dya"; did you mean "day"?']);
  });
});

describe("a ONCE date in the past is valid in a file, with a warning", () => {
  const now = Date.parse("2024-03-03T07:36:47Z");
  const text = (timing: string): string => `- module: ./t.ts\n  schedules:\n    - name: a\n      task: t\n      schedule: { timing: "${timing}", timezone: Europe/Berlin }\n`;

  it("the load holds the job and a warning at the timing", async () => {
    const load = await loadScheduleFile(await schedule(text("2020-01-01 09:00")), { checkTasks: false, now });
    expect(load.jobs.map((job) => job.name)).toEqual(["a"]);
    expect(located(load.warnings)).toEqual(["5:27 2020-01-01 09:00 (Europe/Berlin) is in the past: the job would never run"]);
    const ahead = await loadScheduleFile(await schedule(text("2024-03-03 09:00")), { checkTasks: false, now });
    expect(ahead.warnings).toEqual([]);
  });

  it("an invalid file carries its warnings beside its problems", async () => {
    const file = await schedule(text("2020-01-01 09:00") + "    - name: b\n      task: t\n      schedule: { timing: evry day }\n");
    const error = await problemsOf(loadScheduleFile(file, { checkTasks: false, now }));
    expect(located(error.problems)).toEqual(['8:27 invalid timing: unknown word "evry"; did you mean "every"?']);
    expect(located(error.warnings)).toEqual(["5:27 2020-01-01 09:00 (Europe/Berlin) is in the past: the job would never run"]);
  });
});
