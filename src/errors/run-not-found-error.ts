import { ErrorCode } from "./error-code.ts";
import { OrchestraError } from "./orchestra-error.ts";

/** The job has no run with that id (REST: 404). */
export class RunNotFoundError extends OrchestraError {
  readonly jobName: string;
  readonly runId: number;

  constructor(jobName: string, runId: number) {
    super(ErrorCode.RunNotFound, `job "${jobName}" has no run ${runId}`);
    this.jobName = jobName;
    this.runId = runId;
  }
}
