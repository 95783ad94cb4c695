import { ErrorCode } from "./error-code.ts";
import { OrchestraError } from "./orchestra-error.ts";

/** No job of that name is known (REST: 404). */
export class JobNotFoundError extends OrchestraError {
  readonly jobName: string;

  constructor(jobName: string) {
    super(ErrorCode.JobNotFound, `no job named "${jobName}"`);
    this.jobName = jobName;
  }
}

/** A job of that name exists already (REST: 409). */
export class DuplicateJobError extends OrchestraError {
  readonly jobName: string;

  constructor(jobName: string, where?: string) {
    super(ErrorCode.DuplicateJob, `a job named "${jobName}" exists already${where === undefined ? "" : ` (${where})`}`);
    this.jobName = jobName;
  }
}
