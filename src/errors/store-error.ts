import { ErrorCode } from "./error-code.ts";
import { OrchestraError } from "./orchestra-error.ts";

/** The store could not be used: its database is unreachable, locked for too long, or refused a write. */
export class StoreError extends OrchestraError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.Store, message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
