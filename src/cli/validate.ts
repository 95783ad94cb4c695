import type { Command } from "commander";
import { formatScheduleWarning, ScheduleValidationError, type ScheduleProblem } from "../errors/schedule-validation-error.ts";
import { loadScheduleFiles, type ScheduleLoad } from "../schedule/load.ts";
import type { CliIo } from "./io.ts";

interface ValidateOptions {
  /** Commander's negation of `--no-check-tasks`. */
  readonly checkTasks: boolean;
}

/**
 * `orchestra validate FILE...`: checks schedule files as `orchestra run` would, starting nothing.
 * Valid: one summary line per file on stdout, exit 0. Invalid: every problem as
 * `file:line:column: message` on stderr, exit 2. Warnings (a ONCE date in the past) print on stderr as
 * `file:line:column: warning: message` and leave the exit status as it is.
 */
export function registerValidate(program: Command, io: CliIo): void {
  program
    .command("validate")
    .description("check schedule files (YAML or JSON): every problem, with file:line:column")
    .argument("<files...>", "schedule files; job names must be unique across them")
    .option("--no-check-tasks", "do not import the task modules (their names and exports are not checked)")
    .action(async (files: string[], options: ValidateOptions) => {
      // An invalid file throws ScheduleValidationError: renderError lists every problem, exit 2.
      // Warnings go to stderr before, whatever the outcome: they do not change the exit status.
      let load: ScheduleLoad;
      try {
        load = await loadScheduleFiles(files, { checkTasks: options.checkTasks });
      } catch (error) {
        if (error instanceof ScheduleValidationError) printWarnings(error.warnings, io);
        throw error;
      }
      printWarnings(load.warnings, io);
      for (const source of load.sources) io.stdout(`${summary(source)}\n`);
    });
}

function printWarnings(warnings: readonly ScheduleProblem[], io: CliIo): void {
  for (const warning of warnings) io.stderr(`${formatScheduleWarning(warning)}\n`);
}

/** `schedule.yaml: 23 jobs valid`, with the disabled ones when there are some. */
export function summary(source: ScheduleLoad["sources"][number]): string {
  const jobs = `${source.jobs} ${source.jobs === 1 ? "job" : "jobs"} valid`;
  return source.disabled === 0 ? `${source.file}: ${jobs}` : `${source.file}: ${jobs} (${source.disabled} disabled)`;
}
