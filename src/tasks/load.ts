import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { TaskLoadError } from "../errors/task-load-error.ts";
import { suggest } from "../timing/suggest.ts";
import { importFile, importPackage, type ModuleExports } from "./import.ts";
import { absoluteModule, codeOf, isPathSpecifier, locatePackage, MODULE_EXTENSIONS, type ModuleLocation } from "./locate.ts";

/** A task module once imported. */
export interface TaskModule {
  /** The module as the user wrote it: what messages name. */
  readonly specifier: string;
  /** The resolved file (or, for an import-only package, the specifier): one import per id. */
  readonly id: string;
  readonly exports: ModuleExports;
}

export interface LoadTaskModuleOptions {
  /** What a relative specifier and a package name are resolved from: the schedule file's folder, say. */
  readonly baseDir: string;
}

/** One import per resolved module: a failed one is forgotten, so a file fixed (or created) later loads. */
const modules = new Map<string, Promise<TaskModule>>();

/**
 * Imports a task module: a path relative to `baseDir`, an absolute path (or file URL), or a package
 * name resolved from `baseDir`. `.ts`/`.mts`/`.cts` files load without a build step (through tsx),
 * JavaScript files through Node's own `import()`. Importing runs the module's top-level code.
 *
 * Throws a TaskLoadError when the module does not exist or throws on import; its message names the
 * module and the first line of the cause, never a stack.
 *
 * @example
 * const tasks = await loadTaskModule("./tasks.ts", { baseDir: "/srv/app" });
 * const { fn, options } = resolveTask(tasks, "resize");
 */
export async function loadTaskModule(specifier: string, options: LoadTaskModuleOptions): Promise<TaskModule> {
  const location = await locate(specifier, options.baseDir);
  const id = location.kind === "file" ? location.path : location.specifier;
  let loading = modules.get(id);
  if (loading === undefined) {
    loading = importLocation(specifier, id, location);
    modules.set(id, loading);
    loading.catch(() => modules.delete(id));
  }
  // The same module may be named differently from different places (`./tasks.ts`, `../tasks.ts`):
  // messages about it must use the caller's spelling.
  const loaded = await loading;
  return loaded.specifier === specifier ? loaded : { ...loaded, specifier };
}

async function importLocation(specifier: string, id: string, location: ModuleLocation): Promise<TaskModule> {
  try {
    const exports =
      location.kind === "file" ? await importFile(location.path) : await importPackage(location.specifier, location.parentURL);
    return { specifier, id, exports };
  } catch (error) {
    throw new TaskLoadError(`cannot load task module "${specifier}": ${firstLine(error)}`, { module: specifier }, { cause: error });
  }
}

async function locate(specifier: string, baseDir: string): Promise<ModuleLocation> {
  if (specifier.trim() === "") throw new TaskLoadError("the task module is empty", { module: specifier });
  if (isPathSpecifier(specifier)) return { kind: "file", path: await existingFile(specifier, absoluteModule(specifier, baseDir)) };
  try {
    return locatePackage(specifier, baseDir);
  } catch (error) {
    if (codeOf(error) !== "MODULE_NOT_FOUND") {
      throw new TaskLoadError(`cannot resolve task module "${specifier}": ${firstLine(error)}`, { module: specifier }, { cause: error });
    }
    // `module: tasks` (the seed's Python habit) most likely means the file beside the schedule.
    const local = await siblingModule(specifier, baseDir);
    const hint = local === undefined ? "" : `; did you mean "./${local}"?`;
    throw new TaskLoadError(`cannot find package "${specifier}" from ${path.resolve(baseDir)}${hint}`, {
      module: specifier,
      suggestion: local === undefined ? undefined : `./${local}`,
    });
  }
}

/** The file itself, or with one of the module extensions when it has none; a TaskLoadError otherwise. */
async function existingFile(specifier: string, file: string): Promise<string> {
  const candidates = path.extname(file) === "" ? [file, ...MODULE_EXTENSIONS.map((ext) => file + ext)] : [file];
  for (const candidate of candidates) if (await isFile(candidate)) return candidate;
  const close = await closeSibling(file);
  const relative = close === undefined ? undefined : path.join(path.dirname(specifier), close);
  const suggestion = relative === undefined ? undefined : relative.startsWith(".") || path.isAbsolute(relative) ? relative : `./${relative}`;
  const hint = suggestion === undefined ? "" : `; did you mean "${suggestion}"?`;
  throw new TaskLoadError(`cannot find task module "${specifier}" (no file ${file})${hint}`, { module: specifier, suggestion });
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** A module file in the same folder whose name is close to the missing one (`taks.ts` → `tasks.ts`). */
async function closeSibling(file: string): Promise<string | undefined> {
  return suggest(path.basename(file), await moduleFilesIn(path.dirname(file)));
}

/** `tasks` → `tasks.ts` when such a file sits in `baseDir`. */
async function siblingModule(name: string, baseDir: string): Promise<string | undefined> {
  const files = await moduleFilesIn(baseDir);
  return MODULE_EXTENSIONS.map((ext) => name + ext).find((candidate) => files.includes(candidate));
}

async function moduleFilesIn(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((entry) => entry.isFile() && MODULE_EXTENSIONS.includes(path.extname(entry.name))).map((entry) => entry.name);
  } catch {
    return [];
  }
}

/**
 * The cause in one line: `Error: boom`. A message that opens with a heading ending in a colon
 * (esbuild's `Transform failed with 1 error:`) is followed by the line that says what failed.
 */
export function firstLine(error: unknown): string {
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  const [first = "", second] = lines;
  const text = first.endsWith(":") && second !== undefined ? second : first;
  return name === "" ? text : `${name}: ${text}`;
}
