import type { ErrorCode } from "./error-code.ts";

/** Base of every error Orchestra raises on purpose: its message is meant for the user, never a stack trace. */
export class OrchestraError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}
