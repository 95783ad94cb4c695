import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ErrorCode, TaskLoadError } from "../../../src/index.ts";
import { absoluteModule, functionExports, isPathSpecifier, loadTaskModule, resolveTask } from "../../../src/tasks/index.ts";

const FIXTURES = fileURLToPath(new URL("../../fixtures/schedules/", import.meta.url));
const base = { baseDir: FIXTURES };

async function loadError(run: () => Promise<unknown>): Promise<TaskLoadError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof TaskLoadError) return error;
    throw error;
  }
  throw new Error("no TaskLoadError was thrown");
}

describe("loadTaskModule: finds and imports a task module", () => {
  it("imports a .ts module without a build step (tsx), relative to baseDir", async () => {
    const tasks = await loadTaskModule("./tasks.ts", base);
    expect(tasks.id).toBe(path.join(FIXTURES, "tasks.ts"));
    expect(resolveTask(tasks, "short_task").fn()).toBe(55);
  });

  it("imports a .mjs module with Node's own import()", async () => {
    const tasks = await loadTaskModule("./tasks.mjs", base);
    expect(await resolveTask(tasks, "report").fn("2024-03-04" as never)).toEqual({ day: "2024-03-04", rows: 3 });
  });

  it("takes an absolute path, a file URL, or a path without extension", async () => {
    const absolute = await loadTaskModule(path.join(FIXTURES, "tasks.ts"), { baseDir: "/" });
    const url = await loadTaskModule(new URL("../../fixtures/schedules/tasks.ts", import.meta.url).href, { baseDir: "/" });
    const bare = await loadTaskModule("./tasks", base);
    expect([url.id, bare.id]).toEqual([absolute.id, absolute.id]);
  });

  it("imports each module once: the same exports whatever the spelling, the caller's spelling kept", async () => {
    const first = await loadTaskModule("./tasks.ts", base);
    const second = await loadTaskModule("../schedules/tasks.ts", base);
    expect(second.exports).toBe(first.exports);
    expect(second.specifier).toBe("../schedules/tasks.ts");
  });

  it("resolves a package name from baseDir", async () => {
    const levenshtein = await loadTaskModule("fastest-levenshtein", base);
    expect(resolveTask(levenshtein, "distance").fn("kitten" as never, "sitting" as never)).toBe(3);
  });

  it("a module that throws on import: TaskLoadError with the module and the cause's first line, no stack", async () => {
    const error = await loadError(() => loadTaskModule("./broken-import.ts", base));
    expect(error.code).toBe(ErrorCode.TaskLoad);
    expect(error.module).toBe("./broken-import.ts");
    expect(error.message).toBe('cannot load task module "./broken-import.ts": Error: database URL is not set');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("a missing file: TaskLoadError naming the file, with a close sibling suggested", async () => {
    const error = await loadError(() => loadTaskModule("./taks.ts", base));
    expect(error.message).toBe(`cannot find task module "./taks.ts" (no file ${path.join(FIXTURES, "taks.ts")}); did you mean "./tasks.ts"?`);
    expect(error.suggestion).toBe("./tasks.ts");
  });

  it("a missing file named by an absolute path: the suggestion is absolute too", async () => {
    const error = await loadError(() => loadTaskModule(path.join(FIXTURES, "taks.ts"), base));
    expect(error.suggestion).toBe(path.join(FIXTURES, "tasks.ts"));
    expect(error.message).toMatch(/did you mean "\/.*\/tasks\.ts"\?$/);
  });

  it("a bare name that is no package but a file beside: suggests the path (the seed's `module: tasks`)", async () => {
    const error = await loadError(() => loadTaskModule("tasks", base));
    expect(error.message).toBe(`cannot find package "tasks" from ${FIXTURES.replace(/\/$/, "")}; did you mean "./tasks.ts"?`);
  });
});

describe("resolveTask: the exported function, with its options", () => {
  it("a plain exported function has the default options", async () => {
    const resolved = resolveTask(await loadTaskModule("./tasks.ts", base), "long_task");
    expect(resolved.name).toBe("long_task");
    expect(resolved.options).toEqual({ retries: 0 });
  });

  it("a task() export carries its options, though marked by another copy of Orchestra (tsx's)", async () => {
    const resolved = resolveTask(await loadTaskModule("./tasks.ts", base), "flaky_task");
    expect(resolved.options).toEqual({ retries: 3, backoff: { delay: 1, factor: 3, max: 10 }, timeout: 30 });
  });

  it("a mark put by hand in plain JavaScript is honoured", async () => {
    expect(resolveTask(await loadTaskModule("./tasks.mjs", base), "retried").options).toEqual({ retries: 2, timeout: 5 });
  });

  it("a missing export: did you mean, over the module's functions", async () => {
    const tasks = await loadTaskModule("./tasks.ts", base);
    expect(() => resolveTask(tasks, "shrot_task")).toThrow('module "./tasks.ts" has no export "shrot_task"; did you mean "short_task"?');
    expect(() => resolveTask(tasks, "zzz")).toThrow(
      'module "./tasks.ts" has no export "zzz" (it exports add, exception_task, flaky_task, long_task, short_task)',
    );
  });

  it("an export that is not a function", async () => {
    const tasks = await loadTaskModule("./tasks.ts", base);
    expect(() => resolveTask(tasks, "VERSION")).toThrow('export "VERSION" of "./tasks.ts" is not a function but a string');
  });

  it("lists function exports only", async () => {
    expect(functionExports(await loadTaskModule("./tasks.mjs", base))).toEqual(["report", "retried", "short_task"]);
  });
});

describe("module specifiers", () => {
  it.each([
    ["./tasks.ts", true],
    ["../x.mjs", true],
    ["/abs/tasks.ts", true],
    ["file:///abs/tasks.ts", true],
    ["tasks", false],
    ["@acme/tasks", false],
  ])("%s is a path: %s", (specifier, isPath) => {
    expect(isPathSpecifier(specifier)).toBe(isPath);
  });

  it("absoluteModule makes paths absolute and leaves package names", () => {
    expect(absoluteModule("./tasks.ts", "/srv/app")).toBe("/srv/app/tasks.ts");
    expect(absoluteModule("../lib/tasks.ts", "/srv/app")).toBe("/srv/lib/tasks.ts");
    expect(absoluteModule("@acme/tasks", "/srv/app")).toBe("@acme/tasks");
  });
});
