import { ErrorCode } from "./error-code.ts";
import { OrchestraError } from "./orchestra-error.ts";

/** A timezone name that is not in the IANA database this Node.js ships. Never silently taken as UTC. */
export class TimezoneError extends OrchestraError {
  readonly timezone: string;
  readonly suggestion: string | undefined;

  constructor(timezone: string, suggestion: string | undefined) {
    const hint = suggestion === undefined ? "" : `; did you mean "${suggestion}"?`;
    super(ErrorCode.Timezone, `unknown timezone "${timezone}"${hint}`);
    this.timezone = timezone;
    this.suggestion = suggestion;
  }
}
