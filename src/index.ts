/**
 * Orchestra's public API. Everything a user may import is listed here; anything else is internal.
 */
export {
  parseTiming,
  parseTimingSpec,
  ScheduleKind,
  zoneFor,
  isTimezone,
  knownZoneNames,
  formatInstant,
  describe as describeTiming,
  type Trigger,
  type TimingSpec,
  type OnceSpec,
  type Zone,
  type Instant,
} from "./timing/index.ts";
export { OrchestraError } from "./errors/orchestra-error.ts";
export { TimingError } from "./errors/timing-error.ts";
export { TimezoneError } from "./errors/timezone-error.ts";
export { ErrorCode } from "./errors/error-code.ts";
export { TaskLoadError } from "./errors/task-load-error.ts";
export { TaskOptionsError } from "./errors/task-options-error.ts";
export { ScheduleValidationError, formatScheduleProblem, type ScheduleProblem } from "./errors/schedule-validation-error.ts";
export {
  task,
  isTask,
  loadTaskModule,
  resolveTask,
  currentTask,
  runWithTaskContext,
  callTask,
  backoffDelay,
  type Task,
  type TaskOptions,
  type Backoff,
  type ResolvedTaskOptions,
  type TaskModule,
  type ResolvedTask,
  type TaskContext,
} from "./tasks/index.ts";
export {
  loadScheduleFile,
  loadScheduleFiles,
  loadScheduleDefinitions,
  type ScheduleLoad,
  type ScheduleLoadOptions,
  type DefinitionsLoadOptions,
} from "./schedule/index.ts";
export {
  Orchestra,
  type OrchestraOptions,
  type OrchestraEvent,
  type ScheduleTaskInput,
  type JobFilter,
  type RunsPage,
  type ScheduleTaskSettings,
  type HealthReport,
  type Probe,
} from "./orchestra.ts";
export { createApiApp, type ApiAppOptions } from "./api/app.ts";
export type { ApiSource } from "./api/source.ts";
export { ApiMetrics } from "./api/metrics.ts";
export { HttpErrorCode, type ErrorBody } from "./api/errors.ts";
export { DEFAULT_API_ADDRESS, API_TOKEN_VARIABLE } from "./api/settings.ts";
export type { StateChange } from "./scheduler/scheduler.ts";
export type { SchedulerEvent } from "./scheduler/events.ts";
export type { WorkerEvent } from "./worker/events.ts";
export type { JobDefinition, DispatchOptions, MissedPolicy } from "./jobs/definition.ts";
export type { JobView } from "./jobs/view.ts";
export type { RunRow, RunStatus } from "./store/schema.ts";
export { ManualClock, systemClock, type Clock } from "./scheduler/clock.ts";
export { StoreError } from "./errors/store-error.ts";
export { CommitUnknownError } from "./errors/commit-unknown-error.ts";
export { parseLocation, type Location, type SqliteLocation, type PostgresLocation } from "./config/locations.ts";
export { openStore } from "./store/open.ts";
export { openPostgresStore, type PostgresStore, type PostgresStoreOptions } from "./store/postgres/open.ts";
export type { Store, StoreDialect } from "./store/store.ts";
export type { StoreSchema } from "./store/schema.ts";
export { JobNotFoundError, DuplicateJobError } from "./errors/job-errors.ts";
export { RunNotFoundError } from "./errors/run-not-found-error.ts";
export { LiveView, type LiveViewOptions, type LiveViewSource } from "./ui/live-view.ts";
export type { CounterSnapshot } from "./ui/counters.ts";
export { createLogger, type LoggerOptions, type LogFormat } from "./log/logger.ts";
export { eventLogger } from "./log/event-logger.ts";
