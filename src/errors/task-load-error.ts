import { ErrorCode } from "./error-code.ts";
import { OrchestraError } from "./orchestra-error.ts";

export interface TaskLoadErrorDetails {
  /** The module as the user wrote it (`./tasks.ts`, `my-tasks`). */
  readonly module: string;
  /** The export that was asked for, when the module loaded but the task was not usable. */
  readonly exportName?: string | undefined;
  /** A close export name (or module path) when the one asked for looks like a typo. */
  readonly suggestion?: string | undefined;
}

/**
 * A task module could not be imported (missing, throws on import, syntax error), or it has no usable
 * export of that name. The message names the module and says what went wrong in one line, never with
 * the cause's stack: the cause is kept on `cause` for whoever wants it.
 */
export class TaskLoadError extends OrchestraError {
  readonly module: string;
  readonly exportName: string | undefined;
  readonly suggestion: string | undefined;

  constructor(message: string, details: TaskLoadErrorDetails, options?: { cause?: unknown }) {
    super(ErrorCode.TaskLoad, message);
    this.module = details.module;
    this.exportName = details.exportName;
    this.suggestion = details.suggestion;
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
