import { Counter, Histogram, type Registry } from "prom-client";
import type { WorkerEvent } from "../worker/events.ts";

/** Run durations, in seconds: trivial tasks end in a millisecond, reports take minutes. */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900];

/**
 * What a worker's runs add to a Prometheus registry: the same series on `orchestra run`'s `/metrics`
 * (its in-process worker) and on `orchestra worker --metrics-address`, so one query sums them all.
 */
export class RunMetrics {
  readonly #successes: Counter;
  readonly #failures: Counter;
  readonly #durations: Histogram;

  constructor(registry: Registry, whose: string) {
    this.#successes = new Counter({ name: "orchestra_run_successes_total", help: `Runs that succeeded in ${whose}`, registers: [registry] });
    this.#failures = new Counter({ name: "orchestra_run_failures_total", help: `Failed attempts in ${whose}, retried or not`, registers: [registry] });
    this.#durations = new Histogram({
      name: "orchestra_run_duration_seconds",
      help: `How long the runs that succeeded in ${whose} took`,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
  }

  record(event: WorkerEvent): void {
    if (event.type === "run-succeeded") {
      this.#successes.inc();
      this.#durations.observe(event.durationMs / 1000);
    } else if (event.type === "run-failed") this.#failures.inc();
  }
}
