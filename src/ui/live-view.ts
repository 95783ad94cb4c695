import type { WriteStream } from "node:tty";
import { JobNotFoundError } from "../errors/job-errors.ts";
import type { JobView } from "../jobs/view.ts";
import type { OrchestraEvent } from "../orchestra.ts";
import type { Instant } from "../timing/time.ts";
import { EventCounters, type CounterSnapshot } from "./counters.ts";
import { LiveTable } from "./live-table.ts";
import { Poller } from "./poller.ts";
import { RunTally, type RunObservation } from "./run-tally.ts";

/** What the live view reads; an Orchestra is one. */
export interface LiveViewSource {
  getJobs(): Promise<JobView[]>;
  getRuns(name: string, page: { readonly pageSize: number }): Promise<readonly RunObservation[]>;
}

export interface LiveViewOptions {
  readonly source: LiveViewSource;
  readonly stream: WriteStream;
  readonly colors: boolean;
  /**
   * Count running, succeeded and failed runs from the store rather than from events: for
   * `--no-worker`, where other processes run the tasks and their events never arrive here.
   */
  readonly runsFromStore: boolean;
  /** A failed read of the store (retried at the next poll) or a frame that could not be drawn; each distinct error once. */
  readonly onError: (error: unknown) => void;
  readonly now?: () => Instant;
}

/** How often the jobs are re-read when nothing happens: Due in and Last run tick by the second anyway. */
const JOBS_INTERVAL_MS = 1000;
/** After an event, the jobs are re-read this soon; a burst of events makes one read. */
const JOBS_AFTER_EVENT_MS = 50;
const RUNS_INTERVAL_MS = 1000;
const RUNS_PAGE = 50;

/**
 * The live table of `orchestra run` put together: the jobs read from the store (every second, and
 * shortly after each event), the counters from events (or from the store's runs), and the renderer.
 *
 * @example
 * const orchestra = new Orchestra({ onEvent: (event) => view.record(event) });
 * const view = new LiveView({ source: orchestra, stream: process.stdout, colors: true, runsFromStore: false, onError: console.error });
 * await orchestra.createSchedule("schedule.yaml");
 * view.start();
 * process.once("SIGINT", () => void view.freeze().then(() => orchestra.stop()));
 * await orchestra.run();
 * await view.stop();
 */
export class LiveView {
  readonly #source: LiveViewSource;
  readonly #counters = new EventCounters();
  readonly #tally: RunTally | null;
  readonly #table: LiveTable;
  readonly #jobsPoller: Poller;
  readonly #runsPoller: Poller | null;
  #jobs: readonly JobView[] = [];

  constructor(options: LiveViewOptions) {
    this.#source = options.source;
    const onError = reportOnce(options.onError);
    this.#tally = options.runsFromStore ? new RunTally() : null;
    this.#table = new LiveTable({
      stream: options.stream,
      colors: options.colors,
      state: () => ({ jobs: this.#jobs, counters: this.counters() }),
      onError,
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    this.#jobsPoller = new Poller(
      async () => {
        this.#jobs = await this.#source.getJobs();
      },
      { intervalMs: JOBS_INTERVAL_MS, soonMs: JOBS_AFTER_EVENT_MS, onError },
    );
    this.#runsPoller =
      this.#tally === null ? null : new Poller(() => this.#pollRuns(), { intervalMs: RUNS_INTERVAL_MS, soonMs: RUNS_INTERVAL_MS, onError });
  }

  start(): void {
    this.#jobsPoller.start();
    this.#runsPoller?.start();
    this.#table.start();
  }

  /** Give every event of the orchestra here. */
  record(event: OrchestraEvent): void {
    this.#counters.record(event);
    this.#jobsPoller.soon();
  }

  /** Log text: printed above the table while it is up. */
  print(text: string): void {
    this.#table.print(text);
  }

  counters(): CounterSnapshot {
    const counted = this.#counters.snapshot();
    return this.#tally === null ? counted : { ...counted, ...this.#tally.snapshot() };
  }

  /**
   * Stops reading the store, and resolves once no read is under way: call it before the store closes.
   * The table stays up (counting events) until stop().
   */
  async freeze(): Promise<void> {
    await Promise.all([this.#jobsPoller.stop(), this.#runsPoller?.stop()]);
  }

  /** Freezes, then takes the table off the screen: the terminal is left as it was, cursor shown. */
  async stop(): Promise<void> {
    await this.freeze();
    this.#table.stop();
  }

  async #pollRuns(): Promise<void> {
    const tally = this.#tally;
    if (tally === null) return;
    // In-process functions (scheduleFunction) are not in the store and have no runs there.
    const names = this.#jobs.filter((job) => job.source !== "function").map((job) => job.name);
    const pages = await Promise.all(names.map(async (name) => [name, await this.#runsOf(name)] as const));
    const listed = new Set<string>();
    for (const [name, runs] of pages) {
      if (runs === null) continue;
      tally.observe(name, runs);
      listed.add(name);
    }
    for (const name of tally.jobs()) if (!listed.has(name)) tally.forget(name);
  }

  /** A job's newest runs; null when it was deleted since the jobs were read. */
  async #runsOf(name: string): Promise<readonly RunObservation[] | null> {
    try {
      return await this.#source.getRuns(name, { pageSize: RUNS_PAGE });
    } catch (error) {
      if (error instanceof JobNotFoundError) return null;
      throw error;
    }
  }
}

/** A store that fails keeps failing at every poll: say so once, and again only when the error changes. */
function reportOnce(report: (error: unknown) => void): (error: unknown) => void {
  let last: string | null = null;
  return (error) => {
    const message = error instanceof Error ? error.message : String(error);
    if (message === last) return;
    last = message;
    report(error);
  };
}
