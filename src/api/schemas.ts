import { Type, type Static } from "@sinclair/typebox";
import { MAX_ARGUMENTS_BYTES, MAX_ARGUMENTS_DEPTH } from "../jobs/arguments.ts";
import { MISSED_POLICIES } from "../jobs/definition.ts";
import { MAX_CATCHUP, MAX_DELAY_SECONDS, MAX_PRIORITY, MAX_RETRIES, MAX_TIMEOUT_SECONDS, maximumText, MIN_PRIORITY } from "../jobs/limits.ts";
import { MAX_LENGTH, PRINTABLE_PATTERN, TAG_PATTERN } from "../jobs/text.ts";
import { RUN_STATUSES } from "../store/schema.ts";

/**
 * Every route's schema, declared once: Fastify validates requests with it, the type provider gives
 * the handlers their types, and @fastify/swagger puts it in the OpenAPI document.
 */

/** Some character that is not white space. */
const NON_BLANK = "\\S";

/** What a failed pattern means, for validation messages. */
export const PATTERN_MESSAGES: Readonly<Record<string, string>> = {
  [NON_BLANK]: "must not be blank",
  [PRINTABLE_PATTERN]: "must not be blank nor hold control characters",
  [TAG_PATTERN]: "must not be blank, hold control characters or commas (tags=a,b filters split at commas), nor start or end with white space (they trim it)",
};

const nonBlank = (maxLength: number, description: string, examples?: readonly string[]) =>
  Type.String({ minLength: 1, maxLength, pattern: NON_BLANK, description, ...(examples === undefined ? {} : { examples }) });

/** Not blank, no control characters (see text.ts): a name, module, task, zone or queue. */
const printable = (maxLength: number, description: string, examples?: readonly string[]) =>
  Type.String({ minLength: 1, maxLength, pattern: PRINTABLE_PATTERN, description, ...(examples === undefined ? {} : { examples }) });

// ---- errors -------------------------------------------------------------------------------------

export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: "A stable code to branch on", examples: ["ERR_JOB_NOT_FOUND"] }),
    message: Type.String({ description: "What went wrong, for people", examples: ['no job named "nightly"'] }),
    details: Type.Optional(Type.Unknown({ description: "Where and what exactly: the offending fields, the timing error's column and word…" })),
  },
  { description: "Every error answer" },
);

const ERROR_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: "Invalid request: `details` says which field, or where in the timing",
  401: "No bearer token, or not the right one (only when the API has a token)",
  404: "No such job, or no such run of it",
  409: "A job of that name exists already",
};

/** The error answers of a route, for the documentation and the serializer. */
export function errorResponses<const S extends readonly number[]>(...statuses: S): { [K in S[number]]: typeof ErrorBody } {
  const entries = statuses.map((status) => [status, Type.Object(ErrorBody.properties, { description: ERROR_DESCRIPTIONS[status] ?? "Error" })]);
  return Object.fromEntries(entries) as { [K in S[number]]: typeof ErrorBody };
}

// ---- jobs ---------------------------------------------------------------------------------------

export const JobState = Type.Union([Type.Literal("Running"), Type.Literal("Paused"), Type.Literal("Done")], {
  description: "Running, Paused, or Done (a ONCE job after its run)",
});

const ARGUMENTS_LIMITS = `: at most ${MAX_ARGUMENTS_DEPTH} levels deep and ${MAX_ARGUMENTS_BYTES / 1024} KiB as JSON, no U+0000 in strings`;

export const DispatchOptions = Type.Object(
  {
    queue: Type.Optional(printable(MAX_LENGTH.queue, "Named queue; workers pick the queues they serve. Default `default`")),
    priority: Type.Optional(
      Type.Integer({ minimum: MIN_PRIORITY, maximum: MAX_PRIORITY, description: `Higher runs first among ready messages, from ${MIN_PRIORITY} to ${MAX_PRIORITY}. Default 0` }),
    ),
    args: Type.Optional(Type.Array(Type.Unknown(), { description: `Positional arguments of the task (JSON)${ARGUMENTS_LIMITS}` })),
    kwargs: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: `Named arguments, passed as one object after the positional ones${ARGUMENTS_LIMITS}` }),
    ),
    countdown: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: MAX_DELAY_SECONDS,
        description: `Seconds to wait after the due time before the task may run; at most ${maximumText(MAX_DELAY_SECONDS)}`,
      }),
    ),
    expires: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: MAX_DELAY_SECONDS,
        description: `Seconds after the due time past which the run expires; more than countdown, at most ${maximumText(MAX_DELAY_SECONDS)}`,
      }),
    ),
    retries: Type.Optional(
      Type.Integer({ minimum: 0, maximum: MAX_RETRIES, description: `Retries of a failed run (overrides the task's own setting); at most ${MAX_RETRIES}` }),
    ),
    timeout: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: MAX_TIMEOUT_SECONDS,
        description: `Seconds a run may take (overrides the task's own setting); at most ${maximumText(MAX_TIMEOUT_SECONDS)}`,
      }),
    ),
  },
  { additionalProperties: false, description: "Handed to each dispatch (a schedule file's additional_options)" },
);

export const MissedPolicy = Type.Union(MISSED_POLICIES.map((policy) => Type.Literal(policy)), {
  description: "What to do with occurrences that fell due while nothing ran: skip, once (default) or all",
});

export const Job = Type.Object(
  {
    name: Type.String(),
    state: JobState,
    kind: Type.String({ description: "CYCLIC, MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY, CRON or ONCE" }),
    timing: Type.String({ examples: ["every day at 9:15"] }),
    timezone: Type.String({ examples: ["Europe/Berlin"] }),
    module: Type.String(),
    task: Type.String(),
    nextDue: Type.Union([Type.String(), Type.Null()], {
      description: "The next due instant, ISO 8601 with the offset of the job's zone; null when it will not fire again",
      examples: ["2026-11-30T03:15:00-07:00"],
    }),
    dueIn: Type.Union([Type.String(), Type.Null()], { description: "As the live table shows it: 0:36:09, 2 days", examples: ["0:36:09"] }),
    dueInSeconds: Type.Union([Type.Integer(), Type.Null()], { description: "Whole seconds until nextDue (negative when overdue)" }),
    attempts: Type.Integer({ description: "Occurrences dispatched so far" }),
    attemptsLabel: Type.String({ description: "n/inf for recurring jobs, n/1 for ONCE jobs", examples: ["3/inf"] }),
    failedAttempts: Type.Integer(),
    tags: Type.Array(Type.String()),
    lastRun: Type.Union([Type.Object({ status: Type.String(), at: Type.String({ description: "ISO 8601, UTC" }) }), Type.Null()]),
    source: Type.String({ description: "Where it was declared: file:<path>, api, code, or function (in-process, not stored)" }),
    options: DispatchOptions,
    missed: MissedPolicy,
    maxCatchup: Type.Integer({ description: "With missed: all, at most this many catch-up runs" }),
  },
  { description: "The job" },
);

export const JobList = Type.Object({ jobs: Type.Array(Job) }, { description: "The jobs that pass the filters" });

export const JobNameParams = Type.Object({ name: Type.String({ minLength: 1, description: "The job's name (URL-encoded)" }) });

const tagsParameter = (description: string, required: boolean) => {
  const list = Type.Array(Type.String({ minLength: 1 }), { description, ...(required ? { minItems: 1 } : {}) });
  return required ? list : Type.Optional(list);
};
const anyTagParameter = Type.Optional(
  Type.Boolean({ default: false, description: "true: jobs with at least one of the tags; false (default): jobs with all of them" }),
);

export const JobListQuery = Type.Object(
  {
    tags: tagsParameter("Only jobs with these tags: repeat the parameter (tags=a&tags=b) or separate with commas (tags=a,b)", false),
    anyTag: anyTagParameter,
    state: Type.Optional(
      Type.Union((["Running", "Paused", "Done", "running", "paused", "done"] as const).map((state) => Type.Literal(state)), {
        description: "Only jobs in this state (any case)",
      }),
    ),
    name: Type.Optional(Type.String({ description: "Only jobs whose name contains this, ignoring case" })),
  },
  { additionalProperties: false },
);

/** The selector of the actions on several jobs: in the query string, like the list's filters. */
export const TagSelectorQuery = Type.Object(
  {
    tags: tagsParameter("The jobs' tags (at least one): repeat the parameter (tags=a&tags=b) or separate with commas (tags=a,b)", true),
    anyTag: anyTagParameter,
  },
  { additionalProperties: false },
);


export const CreateJobBody = Type.Object(
  {
    name: printable(MAX_LENGTH.name, "Unique among all jobs"),
    module: printable(
      MAX_LENGTH.module,
      "The module holding the task: a path (relative to the schedule file's folder, or the working directory) or a package name",
      ["./tasks.ts"],
    ),
    task: printable(MAX_LENGTH.task, "The task's export name in the module", ["report"]),
    timing: nonBlank(MAX_LENGTH.timing, "A timing expression or a cron pattern", ["every day at 2:00", "0 3 * * MON"]),
    timezone: Type.Optional(printable(MAX_LENGTH.timezone, "IANA zone name, default UTC", ["Europe/Berlin"])),
    tags: Type.Optional(
      Type.Array(
        Type.String({
          minLength: 1,
          maxLength: MAX_LENGTH.tag,
          pattern: TAG_PATTERN,
          description: "No commas, no white space at either end: tags=a,b filters split at commas and trim each tag",
        }),
        { uniqueItems: true },
      ),
    ),
    options: Type.Optional(DispatchOptions),
    missed: Type.Optional(MissedPolicy),
    maxCatchup: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_CATCHUP, description: `With missed: all, at most this many catch-up runs (default 100, at most ${MAX_CATCHUP})` }),
    ),
  },
  { additionalProperties: false },
);
export type CreateJobBody = Static<typeof CreateJobBody>;

export const StateChange = Type.Object(
  {
    name: Type.String(),
    state: JobState,
    changed: Type.Boolean({ description: "false when the job already was in that state (nothing was done)" }),
  },
  { description: "The job's state after the action" },
);

export const StateChanges = Type.Object({ jobs: Type.Array(StateChange) }, { description: "Each job with the tags, by name" });

export const Triggered = Type.Object(
  {
    name: Type.String(),
    occurrenceId: Type.Integer({ description: "The occurrence sent to the queue; its runs carry this id" }),
  },
  { description: "Queued: a worker runs it" },
);

export const TriggeredList = Type.Object({ jobs: Type.Array(Triggered) }, { description: "Each job with the tags, queued, by name" });

export const DeletedList = Type.Object({ deleted: Type.Array(Type.String()) }, { description: "The names of the jobs deleted" });

// ---- runs ---------------------------------------------------------------------------------------

export const RunStatus = Type.Union(RUN_STATUSES.map((status) => Type.Literal(status)), {
  description: "pending, started, success, failure, retry, expired or missed",
});

const runFields = {
  id: Type.Integer(),
  job: Type.String(),
  occurrenceId: Type.Integer(),
  attempt: Type.Integer({ description: "1 for the first attempt, 2 for the first retry…" }),
  status: Type.String({ description: "pending, started, success, failure, retry, expired or missed" }),
  queue: Type.String(),
  workerId: Type.Union([Type.String(), Type.Null()]),
  enqueuedAt: Type.String({ description: "ISO 8601, UTC" }),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  result: Type.Unknown({ description: "What the task returned (JSON), or null" }),
  error: Type.Union([Type.String(), Type.Null()]),
};

export const Run = Type.Object(runFields);

export const RunDetail = Type.Object({ ...runFields, errorStack: Type.Union([Type.String(), Type.Null()]) }, { description: "The run" });

export const RunList = Type.Object(
  {
    job: Type.String(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
    total: Type.Integer({ description: "Runs matching the filter, on all pages" }),
    runs: Type.Array(Run, { description: "Newest first" }),
  },
  { description: "A page of the job's runs" },
);

/** Pages of runs: page × pageSize stays far inside what the stores' offsets and a JS number hold. */
const MAX_PAGE = 1_000_000_000;
const MAX_PAGE_SIZE = 500;

export const RunListQuery = Type.Object(
  {
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1, description: `1 is the newest runs; at most ${MAX_PAGE}` })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })),
    status: Type.Optional(RunStatus),
  },
  { additionalProperties: false },
);

export const RunParams = Type.Object({
  name: JobNameParams.properties.name,
  id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: "The run's id; no run has one beyond 2^53 − 1" }),
});

// ---- tags, health -------------------------------------------------------------------------------

export const TagList = Type.Object(
  { tags: Type.Array(Type.Object({ tag: Type.String(), jobs: Type.Integer({ description: "Jobs carrying it" }) })) },
  { description: "The tags in use, by name" },
);

const Probe = Type.Object({ ok: Type.Boolean(), error: Type.Optional(Type.String()) });

export const Health = Type.Object(
  {
    status: Type.Union([Type.Literal("ok"), Type.Literal("unavailable")]),
    store: Probe,
    broker: Probe,
  },
  { description: "Whether the store and the broker answer" },
);
