import { readFile } from "node:fs/promises";
import path from "node:path";
import { ScheduleValidationError, type ScheduleProblem } from "../errors/schedule-validation-error.ts";
import type { JobDefinition } from "../jobs/definition.ts";
import type { Instant } from "../timing/time.ts";
import { absoluteModule, codeOf } from "../tasks/locate.ts";
import { readBlocks, type BlockEntry } from "./block.ts";
import { treeFromValue } from "./from-value.ts";
import { parseYamlText } from "./from-yaml.ts";
import { ProblemLog } from "./problems.ts";
import { TaskChecker } from "./task-check.ts";
import type { SourceNode } from "./tree.ts";

export interface ScheduleLoadOptions {
  /**
   * Import each module and check that it exports each task (default true). Importing runs the
   * modules' top-level code; turn it off where the modules are not installed (a CI lint step).
   */
  readonly checkTasks?: boolean;
  /** What a ONCE date is judged against for the "in the past" warning (default: the time of the load). */
  readonly now?: Instant;
}

export interface DefinitionsLoadOptions extends ScheduleLoadOptions {
  /** What relative module paths are resolved from. */
  readonly baseDir: string;
  /** Names the definitions in problems, as a file name would (default `definitions`). */
  readonly source?: string;
}

/** What a valid schedule holds. */
export interface ScheduleLoad {
  /** The enabled jobs, in the order written; modules given as paths are absolute. */
  readonly jobs: JobDefinition[];
  /** Names of the jobs written with `enabled: false`: valid, but not scheduled. */
  readonly disabled: readonly string[];
  /** What is valid but surely not meant (a ONCE date in the past), each at its place: `validate` prints them. */
  readonly warnings: readonly ScheduleProblem[];
  /** Per file (or definitions list), in the order given: what `orchestra validate` summarises. */
  readonly sources: readonly { readonly file: string; readonly jobs: number; readonly disabled: number }[];
}

/**
 * Loads a schedule file (YAML, or JSON, which is YAML) into job definitions. Relative module paths
 * are resolved from the file's folder.
 *
 * Throws a ScheduleValidationError holding every problem found — syntax, shape, unknown keys (with a
 * did-you-mean), types, duplicate names, timing expressions, zones, modules and tasks — each with
 * its file, line and column.
 *
 * @example
 * const { jobs } = await loadScheduleFile("schedule.yaml");
 */
export async function loadScheduleFile(file: string, options: ScheduleLoadOptions = {}): Promise<ScheduleLoad> {
  return loadScheduleFiles([file], options);
}

/**
 * Loads several schedule files as one schedule: job names must be unique across all of them, and
 * the problems of every file are reported together.
 */
export async function loadScheduleFiles(files: readonly string[], options: ScheduleLoadOptions = {}): Promise<ScheduleLoad> {
  const sources = files.map((file) => ({
    file,
    baseDir: path.dirname(path.resolve(file)),
    read: (log: ProblemLog) => readScheduleText(file, log),
  }));
  return loadSources(sources, options);
}

/**
 * Loads definitions given in code, in the file format's shape (the seed's `create_schedule(defs)`).
 * Problems name the `source` and the path inside the definitions (`[0].schedules[1].task`).
 *
 * @example
 * await loadScheduleDefinitions(
 *   [{ module: "./tasks.ts", schedules: [{ name: "nightly", task: "backup", schedule: { timing: "every day at 3:00" } }] }],
 *   { baseDir: import.meta.dirname, source: "app.ts" },
 * );
 */
export async function loadScheduleDefinitions(definitions: unknown, options: DefinitionsLoadOptions): Promise<ScheduleLoad> {
  const source = { file: options.source ?? "definitions", baseDir: options.baseDir, read: () => Promise.resolve(treeFromValue(definitions)) };
  return loadSources([source], options);
}

interface Source {
  readonly file: string;
  readonly baseDir: string;
  /** The tree to validate, or undefined after reporting why there is none. */
  readonly read: (log: ProblemLog) => Promise<SourceNode | undefined>;
}

async function loadSources(sources: readonly Source[], options: ScheduleLoadOptions): Promise<ScheduleLoad> {
  const problems: ScheduleProblem[] = [];
  const warnings: ScheduleProblem[] = [];
  const now = options.now ?? Date.now();
  const checker = new TaskChecker();
  const read: { source: Source; log: ProblemLog; blocks: BlockEntry[] }[] = [];
  for (const source of sources) {
    const log = new ProblemLog(source.file, problems, warnings, now);
    const root = await source.read(log);
    const blocks = root === undefined ? [] : readBlocks(root, log);
    if (options.checkTasks !== false) for (const block of blocks) await checker.check(block, source.baseDir, log);
    read.push({ source, log, blocks });
  }
  reportDuplicateNames(read);
  if (problems.length > 0) throw new ScheduleValidationError(sortProblems(problems, sources), sortProblems(warnings, sources));

  const jobs: JobDefinition[] = [];
  const disabled: string[] = [];
  const summaries = read.map(({ source, blocks }) => {
    const summary = { file: source.file, jobs: 0, disabled: 0 };
    for (const block of blocks) {
      for (const entry of block.jobs) {
        // No problem was reported, so every part is present.
        if (entry.job === undefined || block.module === undefined) continue;
        if (!entry.enabled) {
          disabled.push(entry.job.name);
          summary.disabled++;
          continue;
        }
        jobs.push({ ...entry.job, module: absoluteModule(block.module.value, source.baseDir) });
        summary.jobs++;
      }
    }
    return summary;
  });
  return { jobs, disabled, warnings: sortProblems(warnings, sources), sources: summaries };
}

/** Names are unique across every source of a load, disabled jobs included: the second is reported. */
function reportDuplicateNames(read: readonly { log: ProblemLog; blocks: readonly BlockEntry[] }[]): void {
  const first = new Map<string, { log: ProblemLog; node: SourceNode }>();
  for (const { log, blocks } of read) {
    for (const { name } of blocks.flatMap((block) => block.jobs)) {
      if (name === undefined) continue;
      const earlier = first.get(name.value);
      if (earlier === undefined) first.set(name.value, { log, node: name.node });
      else log.add(name.node, `duplicate job name "${name.value}": first defined at ${earlier.log.describe(earlier.node, log)}`);
    }
  }
}

async function readScheduleText(file: string, log: ProblemLog): Promise<SourceNode | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    log.addFileProblem(`cannot read the schedule file: ${readFailure(error)}`);
    return undefined;
  }
  const parsed = parseYamlText(text);
  for (const problem of parsed.problems) log.add({ path: "", at: problem.at }, problem.message);
  if (!parsed.hasContent) log.add({ path: "", at: { line: 1, column: 1 } }, "the file is empty: a schedule is a list of blocks (- module: …, schedules: […])");
  return parsed.root;
}

function readFailure(error: unknown): string {
  switch (codeOf(error)) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "it is a directory";
    case "EACCES":
      return "permission denied";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/**
 * In the order of the sources, then of the text. Problems without a position (definitions given in
 * code) are grouped by block and job, each group in the order found.
 */
function sortProblems(problems: readonly ScheduleProblem[], sources: readonly Source[]): ScheduleProblem[] {
  const order = new Map(sources.map((source, i) => [source.file, i]));
  return [...problems].sort(
    (a, b) =>
      (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) ||
      a.line - b.line ||
      a.column - b.column ||
      compareIndices(blockAndJob(a.path), blockAndJob(b.path)),
  );
}

/** `[0].schedules[2].schedule.timing` → [0, 2]: which block and which job a path is in. */
function blockAndJob(path: string): number[] {
  return [...path.matchAll(/\[(\d+)\]/g)].slice(0, 2).map((match) => Number(match[1]));
}

function compareIndices(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 2; i++) {
    const difference = (a[i] ?? -1) - (b[i] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}
