import { Gauge, Registry } from "prom-client";
import type { WorkerEvent } from "../worker/events.ts";
import { RunMetrics } from "./run-metrics.ts";

/**
 * The Prometheus metrics of an `orchestra worker` process (`--metrics-address`): its runs since it
 * started, and the tasks running at each scrape. Workers on other machines than the scheduler record
 * their runs in the store, but only their own process can count them as they happen. One registry
 * per instance, never the global one.
 */
export class WorkerMetrics {
  readonly #registry = new Registry();
  readonly #runs = new RunMetrics(this.#registry, "this worker");
  readonly #running = new Gauge({ name: "orchestra_worker_running_tasks", help: "Tasks running in this worker at the scrape", registers: [this.#registry] });

  record(event: WorkerEvent): void {
    this.#runs.record(event);
  }

  get contentType(): string {
    return this.#registry.contentType;
  }

  /** The text exposition format, with the number of tasks running now. */
  render(running: number): Promise<string> {
    this.#running.set(running);
    return this.#registry.metrics();
  }
}
