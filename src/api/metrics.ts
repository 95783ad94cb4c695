import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { JobView } from "../jobs/view.ts";
import { RunMetrics } from "../metrics/run-metrics.ts";
import type { OrchestraEvent } from "../orchestra.ts";

/** Lateness buckets, in seconds: a healthy scheduler fires within milliseconds; a stalled one, minutes late. */
const LATENESS_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The Prometheus metrics of `/metrics`, counted from the events of this process since it started (the
 * scheduler's dispatches, the in-process worker's runs) like the live table's counters; the jobs by
 * state are read from the store at each scrape. One registry per instance, never the global one.
 */
export class ApiMetrics {
  readonly #registry = new Registry();
  readonly #jobs = new Gauge({ name: "orchestra_jobs", help: "Jobs by state, read from the store at each scrape", labelNames: ["state"], registers: [this.#registry] });
  readonly #dispatches = new Counter({
    name: "orchestra_dispatches_total",
    help: "Occurrences sent to the queue: on schedule, as catch-ups of occurrences missed while nothing ran, or triggered by hand",
    labelNames: ["origin"],
    registers: [this.#registry],
  });
  readonly #missed = new Counter({ name: "orchestra_missed_total", help: "Occurrences not run under their job's missed policy", registers: [this.#registry] });
  /** None without an in-process worker: its series would read 0 while workers elsewhere run tasks (they serve their own). */
  readonly #runs: RunMetrics | null;
  readonly #lateness = new Histogram({
    name: "orchestra_dispatch_lateness_seconds",
    help: "How late occurrences were dispatched (dispatched minus due); catch-ups are late on purpose and left out",
    buckets: LATENESS_BUCKETS,
    registers: [this.#registry],
  });

  constructor(options: { readonly worker?: boolean } = {}) {
    this.#runs = options.worker === false ? null : new RunMetrics(this.#registry, "this process's worker");
    // Every series exists from the start: a rate over a counter that appears later misses its first step.
    for (const origin of ["schedule", "catch-up", "manual"]) this.#dispatches.inc({ origin }, 0);
    for (const state of ["running", "paused", "done"]) this.#jobs.set({ state }, 0);
  }

  record(event: OrchestraEvent): void {
    switch (event.type) {
      case "dispatched":
        this.#dispatches.inc({ origin: event.catchUp ? "catch-up" : "schedule" });
        if (!event.catchUp) this.#lateness.observe(Math.max(0, event.lateness) / 1000);
        break;
      case "triggered":
        this.#dispatches.inc({ origin: "manual" });
        break;
      case "missed":
        this.#missed.inc();
        break;
      case "missed-unlisted":
        this.#missed.inc(event.count);
        break;
      case "run-succeeded":
      case "run-failed":
        this.#runs?.record(event);
        break;
      default:
        break;
    }
  }

  get contentType(): string {
    return this.#registry.contentType;
  }

  /** The text exposition format, with the job counts given. */
  async render(jobs: Readonly<Record<JobView["state"], number>>): Promise<string> {
    this.#jobs.set({ state: "running" }, jobs.Running);
    this.#jobs.set({ state: "paused" }, jobs.Paused);
    this.#jobs.set({ state: "done" }, jobs.Done);
    return this.#registry.metrics();
  }
}
