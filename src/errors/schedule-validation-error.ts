import { ErrorCode } from "./error-code.ts";
import { OrchestraError } from "./orchestra-error.ts";

/** One thing wrong in a schedule, and where. */
export interface ScheduleProblem {
  /** The file as it was named to the loader, or the `source` label of definitions given in code. */
  readonly file: string;
  /** 1-based; 0 when there is no text to point into (definitions given in code, an unreadable file). */
  readonly line: number;
  /** 1-based; 0 like `line`. */
  readonly column: number;
  /** Where in the structure, for definitions that have no text: `[0].schedules[2].schedule.timing`. */
  readonly path: string;
  readonly message: string;
}

/**
 * `file:line:column: message` — the form editors and terminals turn into a link. Without a position
 * (definitions given in code) the structural path stands in for it: `code: [0].schedules[1].task: …`.
 */
export function formatScheduleProblem(problem: ScheduleProblem): string {
  if (problem.line > 0) return `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`;
  const where = problem.path === "" ? "" : ` ${problem.path}:`;
  return `${problem.file}:${where} ${problem.message}`;
}

/**
 * A schedule (file or definitions) that cannot be used. It holds every problem found, not just the
 * first, so one run of `orchestra validate` is enough to fix them all; nothing is started while any
 * exists. The message has one `file:line:column: message` line per problem.
 */
export class ScheduleValidationError extends OrchestraError {
  readonly problems: readonly ScheduleProblem[];
  /** What was found valid but surely not meant (a ONCE date in the past): not part of the message. */
  readonly warnings: readonly ScheduleProblem[];

  constructor(problems: readonly ScheduleProblem[], warnings: readonly ScheduleProblem[] = []) {
    super(ErrorCode.ScheduleInvalid, problems.map(formatScheduleProblem).join("\n"));
    this.problems = problems;
    this.warnings = warnings;
  }
}

/** `file:line:column: warning: message`, as compilers print theirs. */
export function formatScheduleWarning(warning: ScheduleProblem): string {
  return formatScheduleProblem({ ...warning, message: `warning: ${warning.message}` });
}
