import { ErrorCode } from "./error-code.ts";
import { OrchestraError } from "./orchestra-error.ts";

/**
 * The options given to `task()` are not valid (a negative retry count, an unknown key). Raised when the
 * task module is imported, so a typo fails at load time rather than at the first retry.
 */
export class TaskOptionsError extends OrchestraError {
  /** Every problem found, one sentence each; the message lists them all. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[], taskName?: string) {
    const subject = taskName === undefined || taskName === "" ? "task()" : `task() of "${taskName}"`;
    super(ErrorCode.TaskOptions, `invalid options for ${subject}: ${problems.join("; ")}`);
    this.problems = problems;
  }
}
