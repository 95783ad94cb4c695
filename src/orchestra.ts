import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ApiMetrics } from "./api/metrics.ts";
import { ApiServer } from "./api/server.ts";
import { resolveApiSettings, type ApiSettings } from "./api/settings.ts";
import { checkRedisAtStartup } from "./broker/bullmq/startup-check.ts";
import { openBroker, type Broker, type TaskWorker } from "./broker/open.ts";
import { resolveLocations } from "./config/locations.ts";
import { JobNotFoundError } from "./errors/job-errors.ts";
import { RunNotFoundError } from "./errors/run-not-found-error.ts";
import { formatScheduleWarning } from "./errors/schedule-validation-error.ts";
import type { DispatchOptions, JobDefinition, MissedPolicy } from "./jobs/definition.ts";
import { fileOf, fileSource } from "./jobs/source.ts";
import { jobView, type JobView } from "./jobs/view.ts";
import { loadScheduleDefinitions, loadScheduleFile } from "./schedule/load.ts";
import { systemClock, type Clock } from "./scheduler/clock.ts";
import { refuseNeverRuns } from "./timing/past.ts";
import type { SchedulerEvent } from "./scheduler/events.ts";
import { FunctionJobs } from "./scheduler/function-jobs.ts";
import { DEFAULT_LOOKAHEAD_MS, Scheduler, type StateChange } from "./scheduler/scheduler.ts";
import { jobsRepository } from "./store/jobs.ts";
import { storeQueries } from "./store/queries.ts";
import { runsRepository } from "./store/runs.ts";
import type { RunRow, RunStatus } from "./store/schema.ts";
import { openStore } from "./store/open.ts";
import type { Store } from "./store/store.ts";
import { loadTaskModule } from "./tasks/load.ts";
import { resolveTask } from "./tasks/resolve.ts";
import { parseTiming } from "./timing/parse.ts";
import type { WorkerEvent } from "./worker/events.ts";
import { moduleTaskResolver } from "./worker/module-resolver.ts";

export interface OrchestraOptions {
  /**
   * Where tasks are queued: `sqlite:///orchestra.db`, the seed's `sqla+sqlite:///log.db`, a file path,
   * or Redis through BullMQ: `redis://host:6379/0` (`rediss://` for TLS, `?prefix=name` for BullMQ's key prefix).
   * A relative path is from the working directory, as on the command line. Default: `orchestra.db`
   * beside the first schedule file, or in the working directory.
   */
  readonly broker?: string;
  /**
   * Where jobs, occurrences and runs are kept: a SQLite file. The embedded queue shares the broker's
   * file; with Redis the default is `orchestra.db` beside the first schedule file.
   */
  readonly backend?: string;
  /** Run tasks in this process too (default true); `false` only schedules, for separate `orchestra worker`s. */
  readonly worker?: boolean | { readonly concurrency?: number; readonly queues?: readonly string[] };
  /** Occurrences at most this late count as on time; older ones follow each job's `missed` policy. Default 1000 ms. */
  readonly graceMs?: number;
  /**
   * Occurrences are sent to the queue up to this long before they are due and held there until their
   * instant, so that a crowd of jobs due in the same second is ready on time. Default 100 ms; 0 sends
   * each at its due instant. (A job paused within that window still runs the occurrence already sent.)
   */
  readonly lookaheadMs?: number;
  /** Time source; tests pass a ManualClock. */
  readonly clock?: Clock;
  /** Everything the scheduler and the in-process worker report, for logs and the live table. */
  readonly onEvent?: (event: OrchestraEvent) => void;
  /**
   * Serve the REST API (Swagger UI at /docs) while `run()` runs. Default: true when `apiAddress` is
   * given, false otherwise.
   */
  readonly api?: boolean;
  /** Where the REST API listens: `HOST:PORT`, default `127.0.0.1:5000` (port 0 picks a free one). */
  readonly apiAddress?: string;
  /**
   * The bearer token every request to /api and /metrics must carry (`Authorization: Bearer <token>`).
   * Default: the ORCHESTRA_API_TOKEN environment variable. Without one, the API only listens on a
   * loopback address.
   */
  readonly apiToken?: string;
}

interface Opened {
  readonly store: Store;
  readonly broker: Broker;
  readonly scheduler: Scheduler;
}

export type OrchestraEvent =
  | SchedulerEvent
  | WorkerEvent
  | { readonly type: "function-failed"; readonly job: string; readonly error: unknown }
  | { readonly type: "api-listening"; readonly url: string }
  /** Something in a schedule file that is valid but surely not meant (a ONCE date gone by), `file:line:col: warning: …`. */
  | { readonly type: "schedule-warning"; readonly warning: string }
  /** A request to the REST API failed unexpectedly (it was answered 500, without the details). */
  | { readonly type: "api-error"; readonly method: string; readonly url: string; readonly error: unknown };

/** A job declared in code, like one entry of a schedule file. */
export interface ScheduleTaskInput {
  readonly name: string;
  /** The module holding the task: a path (relative to the working directory) or a package name. */
  readonly module: string;
  /** The task's export name in the module. */
  readonly task: string;
  readonly timing: string;
  readonly timezone?: string;
  readonly tags?: readonly string[];
  readonly options?: DispatchOptions;
  readonly missed?: MissedPolicy;
  readonly maxCatchup?: number;
}

export interface JobFilter {
  readonly tags?: readonly string[];
  /** With `tags`: true = has at least one of them, false (default) = has all of them. */
  readonly anyTag?: boolean;
  readonly state?: JobView["state"];
  /** A fragment of the name, case-insensitive. */
  readonly name?: string;
}

export interface RunsPage {
  readonly page?: number;
  readonly pageSize?: number;
  readonly status?: RunStatus;
}

/** How `scheduleTask` records and checks a job. */
export interface ScheduleTaskSettings {
  /** Where the job is said to come from (default `code`); the REST API's jobs are `api`. */
  readonly source?: "code" | "api";
  /** Import the module and check that it exports the task before storing the job (default false). */
  readonly checkTask?: boolean;
}

/** Whether one part answered a trivial query; `error` says why not. */
export interface Probe {
  readonly ok: boolean;
  readonly error?: string;
}

/** What `/api/health` reports: the store and the broker each reachable, or not. */
export interface HealthReport {
  readonly ok: boolean;
  readonly store: Probe;
  readonly broker: Probe;
}

/**
 * The scheduler, its store and queue, and (by default) a worker, in one object: the public API,
 * mirroring the seed's Python class.
 *
 * @example
 * const orchestra = new Orchestra({ broker: "sqlite:///orchestra.db" });
 * await orchestra.createSchedule("schedule.yaml");
 * await orchestra.run(); // until stop() or SIGINT
 */
export class Orchestra {
  readonly #options: OrchestraOptions;
  readonly #clock: Clock;
  #opened: Promise<Opened> | null = null;
  #baseDir: string = process.cwd();
  #worker: TaskWorker | null = null;
  readonly #functions: FunctionJobs;
  #stopped: (() => void) | null = null;
  readonly #api: ApiSettings | null;
  readonly #metrics: ApiMetrics | null;
  #apiServer: ApiServer | null = null;

  /** Throws an OrchestraError (ERR_CONFIG) for an invalid API address, or a non-loopback one without a token. */
  constructor(options: OrchestraOptions = {}) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    const api = options.api ?? options.apiAddress !== undefined;
    this.#api = api ? resolveApiSettings(options, process.env) : null;
    this.#metrics = this.#api === null ? null : new ApiMetrics({ worker: options.worker !== false });
    this.#functions = new FunctionJobs(this.#clock, (job, error) => {
      this.#emit({ type: "function-failed", job, error });
    });
  }

  /** The store (its SQLite file) behind this orchestra, once opened. */
  async location(): Promise<string> {
    return (await this.#open()).store.location;
  }

  /**
   * Loads job definitions: a schedule file's path (YAML or JSON), or the parsed list itself. Every
   * problem is reported at once (ScheduleValidationError) and nothing is changed when there is one.
   * Jobs keep their state across restarts; jobs the file no longer declares are removed.
   */
  async createSchedule(definitions?: string | readonly unknown[]): Promise<void> {
    if (typeof definitions === "string") {
      const path = resolve(definitions);
      this.#baseDir = dirname(path);
      const { jobs, warnings } = await loadScheduleFile(path, { now: this.#clock.now() });
      for (const warning of warnings) this.#emit({ type: "schedule-warning", warning: formatScheduleWarning(warning) });
      const { scheduler } = await this.#open();
      // A job of a schedule file that no longer exists (renamed, moved) is taken over, not in the way.
      await scheduler.define(jobs, fileSource(path), (other) => {
        const file = fileOf(other);
        return file !== null && !existsSync(file);
      });
    } else if (definitions !== undefined) {
      const { jobs } = await loadScheduleDefinitions(definitions, { baseDir: this.#baseDir, source: "code" });
      const { scheduler } = await this.#open();
      await scheduler.define(jobs, "code");
    } else {
      await this.#open();
    }
  }

  /**
   * Adds one job from code; it is stored, so it survives a restart like a file's. A relative module
   * path is resolved from the schedule file's folder (or the working directory). Throws a TimingError,
   * a TimezoneError, a ScheduleValidationError (what a schedule file may not hold either), a
   * DuplicateJobError, or with `checkTask` a TaskLoadError.
   */
  async scheduleTask(input: ScheduleTaskInput, settings: ScheduleTaskSettings = {}): Promise<JobView> {
    // A bad timing or zone is thrown as itself, not as a schedule problem; so is a fixed date gone by.
    refuseNeverRuns(parseTiming(input.timing, input.timezone), this.#clock.now());
    const definition = await this.#definitionOf(input);
    // Loaded as the caller wrote it, so that messages use their spelling of the module.
    if (settings.checkTask === true) resolveTask(await loadTaskModule(input.module, { baseDir: this.#baseDir }), input.task);
    const { scheduler } = await this.#open();
    return jobView(await scheduler.add(definition, settings.source ?? "code"));
  }

  /** Runs a plain function on a timing in this process; not stored, not resumed after a restart. */
  scheduleFunction(fn: () => unknown, timing: string, name: string, timezone = "UTC"): void {
    this.#functions.add(fn, timing, name, timezone);
  }

  async pauseJob(name: string): Promise<StateChange> {
    return (await this.#open()).scheduler.pause(name);
  }

  async resumeJob(name: string): Promise<StateChange> {
    return (await this.#open()).scheduler.resume(name);
  }

  /** Pauses the jobs with the tags: sharing at least one (`anyTag: true`) or having all of them. */
  async pauseJobsWithTags(tags: readonly string[], options: { anyTag?: boolean } = {}): Promise<StateChange[]> {
    return this.#onJobsWithTags(tags, options, (scheduler, name) => scheduler.pause(name));
  }

  async resumeJobsWithTags(tags: readonly string[], options: { anyTag?: boolean } = {}): Promise<StateChange[]> {
    return this.#onJobsWithTags(tags, options, (scheduler, name) => scheduler.resume(name));
  }

  /** Runs the jobs with the tags now (see pauseJobsWithTags); resolves to each one's occurrence id. */
  async triggerJobsWithTags(tags: readonly string[], options: { anyTag?: boolean } = {}): Promise<{ name: string; occurrenceId: number }[]> {
    return this.#onJobsWithTags(tags, options, async (scheduler, name) => ({ name, occurrenceId: await scheduler.trigger(name) }));
  }

  /** Deletes the jobs with the tags (see pauseJobsWithTags); resolves to their names. */
  async deleteJobsWithTags(tags: readonly string[], options: { anyTag?: boolean } = {}): Promise<string[]> {
    return this.#onJobsWithTags(tags, options, async (scheduler, name) => {
      await scheduler.delete(name);
      return name;
    });
  }

  /**
   * `action` on every job with the tags. A job deleted between the selection and its turn (by another
   * request, or another scheduler on the store) is left out of the answer rather than failing it, since
   * the others have been acted on already.
   */
  async #onJobsWithTags<T>(tags: readonly string[], options: { anyTag?: boolean }, action: (scheduler: Scheduler, name: string) => Promise<T>): Promise<T[]> {
    const { scheduler } = await this.#open();
    const gone = Symbol("deleted meanwhile");
    const results = await Promise.all(
      scheduler.namesWithTags(tags, options.anyTag ?? false).map((name) =>
        action(scheduler, name).catch((error: unknown) => {
          if (error instanceof JobNotFoundError) return gone;
          throw error;
        }),
      ),
    );
    return results.filter((result): result is Awaited<T> => result !== gone);
  }

  /** Runs a job now, outside its schedule; resolves to the occurrence's id. */
  async triggerJob(name: string): Promise<number> {
    return (await this.#open()).scheduler.trigger(name);
  }

  async deleteJob(name: string): Promise<void> {
    await (await this.#open()).scheduler.delete(name);
  }

  async getJobs(filter: JobFilter = {}): Promise<JobView[]> {
    const { store } = await this.#open();
    const views = [...(await jobsRepository.all(store.db)).map(jobView), ...this.#functions.views()];
    const wanted = new Set(filter.tags ?? []);
    const fragment = filter.name?.toLowerCase();
    return views.filter((view) => {
      if (filter.state !== undefined && view.state !== filter.state) return false;
      if (fragment !== undefined && !view.name.toLowerCase().includes(fragment)) return false;
      if (wanted.size === 0) return true;
      const shared = view.tags.filter((tag) => wanted.has(tag)).length;
      return filter.anyTag === true ? shared > 0 : shared === wanted.size;
    });
  }

  async getJob(name: string): Promise<JobView> {
    const { store } = await this.#open();
    const stored = await jobsRepository.find(store.db, name);
    if (stored !== undefined) return jobView(stored);
    const inProcess = this.#functions.views().find((view) => view.name === name);
    if (inProcess === undefined) throw new JobNotFoundError(name);
    return inProcess;
  }

  /** A job's runs, newest first: page 1 is the latest `pageSize` (default 20). */
  async getRuns(name: string, page: RunsPage = {}): Promise<RunRow[]> {
    const { store } = await this.#open();
    if ((await jobsRepository.find(store.db, name)) === undefined) throw new JobNotFoundError(name);
    return runsRepository.page(store.db, name, { page: page.page ?? 1, pageSize: page.pageSize ?? 20, status: page.status });
  }

  /** How many of a job's runs there are (of one status, when given): the total behind getRuns' pages. */
  async countRuns(name: string, filter: { readonly status?: RunStatus } = {}): Promise<number> {
    const { store } = await this.#open();
    if ((await jobsRepository.find(store.db, name)) === undefined) throw new JobNotFoundError(name);
    return storeQueries.countRuns(store.db, name, filter.status);
  }

  /** One run of a job, by id; a JobNotFoundError or RunNotFoundError when there is none. */
  async getRun(name: string, id: number): Promise<RunRow> {
    const { store } = await this.#open();
    if ((await jobsRepository.find(store.db, name)) === undefined) throw new JobNotFoundError(name);
    const run = await storeQueries.findRun(store.db, name, id);
    if (run === undefined) throw new RunNotFoundError(name, id);
    return run;
  }

  /** The tags in use, by name, each with how many jobs carry it. */
  async getTags(): Promise<{ tag: string; jobs: number }[]> {
    const { store } = await this.#open();
    const counts = await storeQueries.tagCounts(store.db);
    return [...counts].map(([tag, jobs]) => ({ tag, jobs })).sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  }

  /** How many jobs are in each state, in-process functions included. */
  async countJobs(): Promise<Record<JobView["state"], number>> {
    const { store } = await this.#open();
    const stored = await storeQueries.jobStates(store.db);
    const counts = { Running: stored.running, Paused: stored.paused, Done: stored.done };
    for (const view of this.#functions.views()) counts[view.state] += 1;
    return counts;
  }

  /** Whether the store and the broker each answer a trivial query. */
  async health(): Promise<HealthReport> {
    let opened: Opened;
    try {
      opened = await this.#open();
    } catch (error) {
      const down = { ok: false, error: messageOf(error) };
      return { ok: false, store: down, broker: down };
    }
    const { store, broker } = opened;
    const [storeProbe, brokerProbe] = await Promise.all([probe(() => storeQueries.ping(store.db)), probe(() => broker.ping())]);
    return { ok: storeProbe.ok && brokerProbe.ok, store: storeProbe, broker: brokerProbe };
  }

  /**
   * Starts scheduling (and the in-process worker, and the REST API when enabled); resolves when
   * `stop()` is called. Rejects, starting nothing, when the API's address cannot be listened on.
   */
  async run(): Promise<void> {
    const { broker, scheduler } = await this.#open();
    if (this.#api !== null && this.#metrics !== null) {
      try {
        this.#apiServer = await ApiServer.start({
          source: this,
          settings: this.#api,
          metrics: this.#metrics,
          now: () => this.#clock.now(),
          onError: (error, request) => {
            this.#emit({ type: "api-error", method: request.method, url: request.url, error });
          },
        });
      } catch (error) {
        await this.stop(0);
        throw error;
      }
      this.#emit({ type: "api-listening", url: this.#apiServer.url });
    }
    const workerOption = this.#options.worker ?? true;
    if (workerOption !== false) {
      const settings = workerOption === true ? {} : workerOption;
      this.#worker = broker.createWorker({
        resolveTask: moduleTaskResolver(this.#baseDir),
        ...(settings.concurrency === undefined ? {} : { concurrency: settings.concurrency }),
        ...(settings.queues === undefined ? {} : { queues: settings.queues }),
        onEvent: (event) => {
          this.#emit(event);
        },
      });
      this.#worker.start();
    }
    const stopped = new Promise<void>((resolveStopped) => {
      this.#stopped = resolveStopped;
    });
    scheduler.start();
    this.#functions.start();
    await stopped;
  }

  /** Stops scheduling, lets running tasks finish for up to `graceMs`, and closes the store. */
  async stop(graceMs = 10_000): Promise<void> {
    // The API first: requests under way finish while the store is still open.
    await this.#apiServer?.close();
    this.#apiServer = null;
    this.#functions.stop();
    if (this.#opened !== null) {
      const { store, broker, scheduler } = await this.#opened;
      await scheduler.stop();
      await this.#worker?.stop(graceMs);
      await broker.close();
      await store.close();
      this.#opened = null;
    }
    this.#stopped?.();
  }

  #open(): Promise<Opened> {
    this.#opened ??= (async () => {
      const locations = resolveLocations(this.#options.broker, this.#options.backend, process.cwd(), this.#baseDir);
      // A Redis that refuses the URL's password or database stops here, before the store is opened.
      if (locations.broker.kind === "redis") await checkRedisAtStartup(locations.broker);
      const store = await openStore(locations.store, {
        onUnreachable: (error) => {
          this.#emit({ type: "error", error });
        },
      });
      const broker = await openBroker(locations.broker, store, {
        clock: this.#clock,
        onError: (error) => {
          this.#emit({ type: "error", error });
        },
        onRecovered: (what) => {
          this.#emit({ type: "recovered", what });
        },
      }).catch(async (error: unknown) => {
        await store.close();
        throw error;
      });
      const scheduler = new Scheduler({
        store,
        queue: broker.queue,
        clock: this.#clock,
        lookaheadMs: this.#options.lookaheadMs ?? DEFAULT_LOOKAHEAD_MS,
        ...(this.#options.graceMs === undefined ? {} : { graceMs: this.#options.graceMs }),
        onEvent: (event) => {
          if (event.type === "dispatched") this.#worker?.notify(event.dueAt);
          else if (event.type === "triggered") this.#worker?.notify();
          this.#emit(event);
        },
      });
      await scheduler.load();
      return { store, broker, scheduler };
    })();
    return this.#opened;
  }

  /**
   * The job as a schedule file would declare it, read by the same reader: code, the REST API and files
   * refuse the same things (control characters, values beyond the limits, args nested too deep…).
   */
  async #definitionOf(input: ScheduleTaskInput): Promise<JobDefinition> {
    const job = {
      name: input.name,
      task: input.task,
      schedule: { timing: input.timing, timezone: input.timezone },
      additional_options: input.options,
      tags: input.tags,
      missed: input.missed,
      max_catchup: input.maxCatchup,
    };
    const options = { baseDir: this.#baseDir, source: "scheduleTask", checkTasks: false };
    const [definition] = (await loadScheduleDefinitions([{ module: input.module, schedules: [job] }], options)).jobs;
    if (definition === undefined) throw new Error(`the valid definition of job "${input.name}" gave no job`);
    return definition;
  }

  #emit(event: OrchestraEvent): void {
    this.#metrics?.record(event);
    this.#options.onEvent?.(event);
  }
}

async function probe(check: () => Promise<void>): Promise<Probe> {
  try {
    await check();
    return { ok: true };
  } catch (error) {
    return { ok: false, error: messageOf(error) };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
