import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadScheduleDefinitions, ScheduleValidationError } from "../../../src/index.ts";

const FIXTURES = fileURLToPath(new URL("../../fixtures/schedules/", import.meta.url));

async function problemsOf(load: Promise<unknown>): Promise<string[]> {
  try {
    await load;
  } catch (error) {
    if (error instanceof ScheduleValidationError) return error.message.split("\n");
    throw error;
  }
  throw new Error("the definitions were accepted");
}

describe("definitions given in code (the seed's create_schedule(defs))", () => {
  it("become the same job definitions as a file, modules resolved from baseDir", async () => {
    const { jobs } = await loadScheduleDefinitions(
      [{ module: "./tasks.ts", schedules: [{ name: "Simple Task every 48 hours", task: "short_task", schedule: { timing: "every 48:00:00" } }] }],
      { baseDir: FIXTURES, source: "main.ts" },
    );
    expect(jobs).toEqual([
      {
        name: "Simple Task every 48 hours",
        module: path.join(FIXTURES, "tasks.ts"),
        task: "short_task",
        timing: "every 48:00:00",
        timezone: "UTC",
        tags: [],
        options: {},
        missed: "once",
        maxCatchup: 100,
      },
    ]);
  });

  it("an empty list is an empty schedule", async () => {
    expect((await loadScheduleDefinitions([], { baseDir: FIXTURES })).jobs).toEqual([]);
  });

  it("problems name the source and the path inside the definitions, all at once", async () => {
    const problems = await problemsOf(
      loadScheduleDefinitions(
        [
          {
            module: "./tasks.ts",
            schedules: [
              { name: "a", task: "shrot_task", schedule: { timing: "every dya", timezon: "UTC" } },
              { name: "a", task: () => "inline", schedule: { timing: "every hour" }, enabled: undefined, tags: [new Date(0)] },
            ],
          },
        ],
        { baseDir: FIXTURES, source: "app.ts" },
      ),
    );
    expect(problems).toEqual([
      'app.ts: [0].schedules[0].schedule.timezon: unknown key "timezon" in schedule; did you mean "timezone"?',
      'app.ts: [0].schedules[0].schedule.timing: invalid timing "every dya": unknown word "dya" at column 7; did you mean "day"?',
      'app.ts: [0].schedules[0].task: module "./tasks.ts" has no export "shrot_task"; did you mean "short_task"?',
      'app.ts: [0].schedules[1].task: "task" must be a string, not a function',
      'app.ts: [0].schedules[1].tags[0]: "tags[0]" must be a string, not a date',
      'app.ts: [0].schedules[1].name: duplicate job name "a": first defined at [0].schedules[0].name',
    ]);
  });

  it("something other than a list is refused, a circular reference too", async () => {
    expect(await problemsOf(loadScheduleDefinitions({ module: "x" }, { baseDir: FIXTURES }))).toEqual([
      'definitions: a schedule must be a list of blocks, not a map; write the block as a list item: "- module: …"',
    ]);
    const block: Record<string, unknown> = { module: "./tasks.ts" };
    block.schedules = [block];
    const problems = await problemsOf(loadScheduleDefinitions([block], { baseDir: FIXTURES, checkTasks: false }));
    expect(problems).toEqual([
      'definitions: [0].schedules[0]: a job must be a map of name, task, enabled, schedule, additional_options, tags, missed, max_catchup, not a circular reference',
    ]);
  });
});
