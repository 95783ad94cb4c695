/** Stable codes carried by every error Orchestra raises, so callers can branch without parsing messages. */
export const ErrorCode = {
  Timing: "ERR_TIMING",
  Timezone: "ERR_TIMEZONE",
  Store: "ERR_STORE",
  Config: "ERR_CONFIG",
  JobNotFound: "ERR_JOB_NOT_FOUND",
  RunNotFound: "ERR_RUN_NOT_FOUND",
  DuplicateJob: "ERR_DUPLICATE_JOB",
  TaskLoad: "ERR_TASK_LOAD",
  TaskOptions: "ERR_TASK_OPTIONS",
  ScheduleInvalid: "ERR_SCHEDULE_INVALID",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
