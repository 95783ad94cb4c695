import type { FastifyError } from "fastify";
import { ErrorCode } from "../errors/error-code.ts";
import { DuplicateJobError, JobNotFoundError } from "../errors/job-errors.ts";
import { OrchestraError } from "../errors/orchestra-error.ts";
import { RunNotFoundError } from "../errors/run-not-found-error.ts";
import { ScheduleValidationError } from "../errors/schedule-validation-error.ts";
import { TaskLoadError } from "../errors/task-load-error.ts";
import { TaskOptionsError } from "../errors/task-options-error.ts";
import { TimezoneError } from "../errors/timezone-error.ts";
import { TimingError } from "../errors/timing-error.ts";

/** Codes of the errors only HTTP has; every other answer carries an ErrorCode. */
export const HttpErrorCode = {
  Validation: "ERR_VALIDATION",
  BadRequest: "ERR_BAD_REQUEST",
  Unauthorized: "ERR_UNAUTHORIZED",
  Forbidden: "ERR_FORBIDDEN",
  RouteNotFound: "ERR_ROUTE_NOT_FOUND",
  MethodNotAllowed: "ERR_METHOD_NOT_ALLOWED",
  BodyTooLarge: "ERR_BODY_TOO_LARGE",
  RequestTimeout: "ERR_REQUEST_TIMEOUT",
  HeadersTooLarge: "ERR_HEADERS_TOO_LARGE",
  UnsupportedMediaType: "ERR_UNSUPPORTED_MEDIA_TYPE",
  Internal: "ERR_INTERNAL",
} as const;

export type HttpErrorCode = (typeof HttpErrorCode)[keyof typeof HttpErrorCode];

/** The body of every error answer. */
export interface ErrorBody {
  readonly error: ErrorCode | HttpErrorCode;
  readonly message: string;
  readonly details?: unknown;
}

/** One thing wrong with a request: where (`body`, `querystring`, `params`) and which field. */
export interface FieldProblem {
  readonly in: string;
  /** Dotted path in the part: `timing`, `options.expires`, `tags.0`; empty for the part as a whole. */
  readonly field: string;
  readonly message: string;
}

/** A request that its schema lets through but that is still invalid (one field against another). */
export class RequestValidationError extends Error {
  readonly problems: readonly FieldProblem[];

  constructor(problems: readonly FieldProblem[]) {
    super(describeProblems(problems));
    this.name = "RequestValidationError";
    this.problems = problems;
  }
}

/** The HTTP status of each of Orchestra's errors: one table, so a new code cannot be forgotten. */
const STATUS_BY_CODE: Record<ErrorCode, number> = {
  [ErrorCode.Timing]: 400,
  [ErrorCode.Timezone]: 400,
  [ErrorCode.TaskLoad]: 400,
  [ErrorCode.TaskOptions]: 400,
  [ErrorCode.ScheduleInvalid]: 400,
  [ErrorCode.JobNotFound]: 404,
  [ErrorCode.RunNotFound]: 404,
  [ErrorCode.DuplicateJob]: 409,
  // The database is locked by another process for too long, or unreachable: try again later.
  [ErrorCode.Store]: 503,
  [ErrorCode.Config]: 500,
};

export interface ErrorReply {
  readonly status: number;
  readonly body: ErrorBody;
  /** A bug or an environment failure, not the client's doing: log it; the answer says nothing of it. */
  readonly unexpected: boolean;
}

/** What to answer for an error thrown while handling a request. */
export function errorReply(error: unknown): ErrorReply {
  if (error instanceof OrchestraError) {
    const status = STATUS_BY_CODE[error.code];
    const details = detailsOf(error);
    return { status, body: { error: error.code, message: error.message, ...(details === undefined ? {} : { details }) }, unexpected: status >= 500 };
  }
  if (error instanceof RequestValidationError) return validationReply(error.problems);
  if (isFastifyError(error)) {
    if (error.validation !== undefined) {
      const part = error.validationContext ?? "request";
      return validationReply(error.validation.map((problem) => ({ in: part, field: fieldOf(problem.instancePath), message: problem.message ?? "is invalid" })));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return { status, body: { error: httpCodeOf(status), message: error.message }, unexpected: false };
  }
  return { status: 500, body: { error: HttpErrorCode.Internal, message: "internal error: the server's log has the details" }, unexpected: true };
}

export function routeNotFound(method: string, url: string): ErrorBody {
  return { error: HttpErrorCode.RouteNotFound, message: `no route ${method} ${pathOf(url)}; see /docs` };
}

/** The path exists, with other methods: `allowed` (also the answer's `Allow` header). */
export function methodNotAllowed(method: string, url: string, allowed: readonly string[]): ErrorBody {
  const choices = allowed.filter((m) => m !== "HEAD");
  return {
    error: HttpErrorCode.MethodNotAllowed,
    message: `${method} is not allowed on ${pathOf(url)}; use ${choices.join(" or ")} (see /docs)`,
    details: { allowed },
  };
}

/** A request's URL without its query string. */
export function pathOf(url: string): string {
  return url.split("?")[0] ?? url;
}

function validationReply(problems: readonly FieldProblem[]): ErrorReply {
  return { status: 400, body: { error: HttpErrorCode.Validation, message: describeProblems(problems), details: problems }, unexpected: false };
}

function describeProblems(problems: readonly FieldProblem[]): string {
  const parts = problems.map((problem) => `${problem.field === "" ? problem.in : `${problem.in}.${problem.field}`}: ${problem.message}`);
  return `invalid request: ${parts.join("; ")}`;
}

/** `/options/expires` → `options.expires`. */
function fieldOf(instancePath: string): string {
  return instancePath
    .split("/")
    .filter((part) => part !== "")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".");
}

function detailsOf(error: OrchestraError): Record<string, unknown> | undefined {
  if (error instanceof TimingError) {
    return {
      field: "timing",
      expression: error.expression,
      column: error.column,
      word: error.word,
      reason: error.reason,
      ...(error.suggestion === undefined ? {} : { suggestion: error.suggestion }),
      pointer: error.pointer(),
    };
  }
  if (error instanceof TimezoneError) return { field: "timezone", timezone: error.timezone, ...(error.suggestion === undefined ? {} : { suggestion: error.suggestion }) };
  if (error instanceof TaskLoadError) {
    return {
      field: error.exportName === undefined ? "module" : "task",
      module: error.module,
      ...(error.exportName === undefined ? {} : { task: error.exportName }),
      ...(error.suggestion === undefined ? {} : { suggestion: error.suggestion }),
    };
  }
  if (error instanceof TaskOptionsError) return { problems: error.problems };
  if (error instanceof ScheduleValidationError) return { problems: error.problems };
  if (error instanceof JobNotFoundError || error instanceof DuplicateJobError) return { job: error.jobName };
  if (error instanceof RunNotFoundError) return { job: error.jobName, run: error.runId };
  return undefined;
}

function httpCodeOf(status: number): HttpErrorCode {
  if (status === 401) return HttpErrorCode.Unauthorized;
  if (status === 403) return HttpErrorCode.Forbidden;
  if (status === 404) return HttpErrorCode.RouteNotFound;
  if (status === 413) return HttpErrorCode.BodyTooLarge;
  if (status === 415) return HttpErrorCode.UnsupportedMediaType;
  return HttpErrorCode.BadRequest;
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && typeof (error as Partial<FastifyError>).code === "string" && "statusCode" in error;
}
