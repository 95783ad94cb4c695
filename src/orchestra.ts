import { dirname, resolve } from "node:path";
import { openBroker, type Broker, type TaskWorker } from "./broker/open.ts";
import { resolveLocations } from "./config/locations.ts";
import { JobNotFoundError } from "./errors/job-errors.ts";
import { DEFAULT_MAX_CATCHUP, type DispatchOptions, type JobDefinition, type MissedPolicy } from "./jobs/definition.ts";
import { jobView, type JobView } from "./jobs/view.ts";
import { loadScheduleDefinitions, loadScheduleFile } from "./schedule/load.ts";
import { systemClock, type Clock } from "./scheduler/clock.ts";
import type { SchedulerEvent } from "./scheduler/events.ts";
import { FunctionJobs } from "./scheduler/function-jobs.ts";
import { Scheduler, type StateChange } from "./scheduler/scheduler.ts";
import { jobsRepository } from "./store/jobs.ts";
import { runsRepository } from "./store/runs.ts";
import type { RunRow, RunStatus } from "./store/schema.ts";
import { openStore } from "./store/open.ts";
import type { Store } from "./store/store.ts";
import { parseTiming } from "./timing/parse.ts";
import type { WorkerEvent } from "./worker/events.ts";
import { moduleTaskResolver } from "./worker/module-resolver.ts";

export interface OrchestraOptions {
  /**
   * Where tasks are queued: `sqlite:///orchestra.db`, the seed's `sqla+sqlite:///log.db`, a file path,
   * or Redis through BullMQ: `redis://host:6379/0` (`rediss://` for TLS, `?prefix=name` for BullMQ's key prefix).
   * Default: `orchestra.db` beside the first schedule file, or in the working directory.
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
  /** Time source; tests pass a ManualClock. */
  readonly clock?: Clock;
  /** Everything the scheduler and the in-process worker report, for logs and the live table. */
  readonly onEvent?: (event: OrchestraEvent) => void;
}

interface Opened {
  readonly store: Store;
  readonly broker: Broker;
  readonly scheduler: Scheduler;
}

export type OrchestraEvent = SchedulerEvent | WorkerEvent | { readonly type: "function-failed"; readonly job: string; readonly error: unknown };

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

  constructor(options: OrchestraOptions = {}) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
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
      const { jobs } = await loadScheduleFile(path);
      const { scheduler } = await this.#open();
      await scheduler.define(jobs, `file:${path}`);
    } else if (definitions !== undefined) {
      const { jobs } = await loadScheduleDefinitions(definitions, { baseDir: this.#baseDir, source: "code" });
      const { scheduler } = await this.#open();
      await scheduler.define(jobs, "code");
    } else {
      await this.#open();
    }
  }

  /** Adds one job from code; it is stored, so it survives a restart like a file's. */
  async scheduleTask(input: ScheduleTaskInput): Promise<JobView> {
    const definition = this.#definitionOf(input);
    parseTiming(definition.timing, definition.timezone);
    const { scheduler } = await this.#open();
    return jobView(await scheduler.add(definition, "code"));
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
    const { scheduler } = await this.#open();
    return Promise.all(scheduler.namesWithTags(tags, options.anyTag ?? false).map((name) => scheduler.pause(name)));
  }

  async resumeJobsWithTags(tags: readonly string[], options: { anyTag?: boolean } = {}): Promise<StateChange[]> {
    const { scheduler } = await this.#open();
    return Promise.all(scheduler.namesWithTags(tags, options.anyTag ?? false).map((name) => scheduler.resume(name)));
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

  /** Starts scheduling (and the in-process worker); resolves when `stop()` is called. */
  async run(): Promise<void> {
    const { broker, scheduler } = await this.#open();
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
      const locations = resolveLocations(this.#options.broker, this.#options.backend, this.#baseDir);
      const store = await openStore(locations.store);
      const broker = await openBroker(locations.broker, store, {
        clock: this.#clock,
        onError: (error) => {
          this.#emit({ type: "error", error });
        },
      }).catch(async (error: unknown) => {
        await store.close();
        throw error;
      });
      const scheduler = new Scheduler({
        store,
        queue: broker.queue,
        clock: this.#clock,
        ...(this.#options.graceMs === undefined ? {} : { graceMs: this.#options.graceMs }),
        onEvent: (event) => {
          if (event.type === "dispatched") this.#worker?.notify();
          this.#emit(event);
        },
      });
      await scheduler.load();
      return { store, broker, scheduler };
    })();
    return this.#opened;
  }

  #definitionOf(input: ScheduleTaskInput): JobDefinition {
    return {
      name: input.name,
      module: /^[./]/.test(input.module) ? resolve(this.#baseDir, input.module) : input.module,
      task: input.task,
      timing: input.timing,
      timezone: input.timezone ?? "UTC",
      tags: input.tags ?? [],
      options: input.options ?? {},
      missed: input.missed ?? "once",
      maxCatchup: input.maxCatchup ?? DEFAULT_MAX_CATCHUP,
    };
  }

  #emit(event: OrchestraEvent): void {
    this.#options.onEvent?.(event);
  }
}
