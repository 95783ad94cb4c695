import { OrchestraError } from "../errors/orchestra-error.ts";
import { ScheduleValidationError } from "../errors/schedule-validation-error.ts";
import { TimingError } from "../errors/timing-error.ts";

/** Where a command writes: the process's streams in production, buffers in tests. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Exit statuses other tools rely on. */
export const ExitCode = {
  Ok: 0,
  /** A bug or an environment failure: the message says which. */
  Failure: 1,
  /** The user's input is invalid (expression, zone, option): nothing was started. */
  Usage: 2,
} as const;

/** A user-facing rendering of an error: no stack trace unless ORCHESTRA_DEBUG is set. */
export function renderError(error: unknown): { text: string; exitCode: number } {
  if (error instanceof TimingError) {
    const pointer = error.pointer().replace(/^/gm, "  ");
    return { text: `orchestra: invalid timing expression\n${pointer}\n  ${error.message}\n`, exitCode: ExitCode.Usage };
  }
  if (error instanceof ScheduleValidationError) {
    // Every problem on its own line, as `file:line:column: message`, then the count.
    const count = error.problems.length;
    return {
      text: `${error.message}\norchestra: ${count} ${count === 1 ? "problem" : "problems"}; nothing was started\n`,
      exitCode: ExitCode.Usage,
    };
  }
  if (error instanceof OrchestraError || error instanceof UsageError) {
    return { text: `orchestra: ${error.message}\n`, exitCode: ExitCode.Usage };
  }
  const message = error instanceof Error ? error.message : String(error);
  const detail =
    process.env.ORCHESTRA_DEBUG !== undefined && error instanceof Error && error.stack !== undefined
      ? `${error.stack}\n`
      : "(set ORCHESTRA_DEBUG=1 for the stack trace)\n";
  return { text: `orchestra: unexpected error: ${message}\n${detail}`, exitCode: ExitCode.Failure };
}

/** Bad command-line input that is not a timing or zone error (a malformed --from, a count of zero). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
