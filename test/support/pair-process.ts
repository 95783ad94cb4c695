import { openBroker, type Broker, type TaskWorker } from "../../src/broker/open.ts";
import { resolveLocations } from "../../src/config/locations.ts";
import type { ManualClock } from "../../src/scheduler/clock.ts";
import { Scheduler } from "../../src/scheduler/scheduler.ts";
import { openStore } from "../../src/store/open.ts";
import type { Store } from "../../src/store/store.ts";
import type { WorkerEvent } from "../../src/worker/events.ts";
import { moduleTaskResolver } from "../../src/worker/module-resolver.ts";

/** A worker of a pair, with what it reported. */
export interface PairWorker {
  readonly worker: TaskWorker;
  readonly events: WorkerEvent[];
  /** How many task attempts this worker started (each one a call of the task). */
  started(): number;
}

/**
 * What one `orchestra run` process holds on a broker + store pair: its own store connection, its own
 * broker (a BullMQ publisher, or the embedded queue), a scheduler on a hand-driven clock, and the
 * workers started on them. Opened with the same functions Orchestra uses (resolveLocations, openStore,
 * openBroker), so the pair is composed as a user's would be.
 */
export interface PairProcess {
  readonly store: Store;
  readonly broker: Broker;
  readonly scheduler: Scheduler;
  readonly clock: ManualClock;
  startWorker(settings?: { readonly leaseMs?: number; readonly concurrency?: number }): PairWorker;
  /** Stops its workers (without grace), its scheduler and broker, and closes its store. */
  close(): Promise<void>;
}

export async function openPairProcess(locations: { readonly broker: string; readonly backend: string }, clock: ManualClock): Promise<PairProcess> {
  const { broker: brokerAt, store: storeAt } = resolveLocations(locations.broker, locations.backend, process.cwd());
  const store = await openStore(storeAt);
  const broker = await openBroker(brokerAt, store, { clock });
  const workers: TaskWorker[] = [];
  const scheduler = new Scheduler({
    store,
    queue: broker.queue,
    clock,
    // As Orchestra does: an embedded-queue worker looks at once rather than at its next poll.
    onEvent: (event) => {
      if (event.type === "dispatched" || event.type === "triggered") for (const worker of workers) worker.notify();
    },
  });
  await scheduler.load();
  return {
    store,
    broker,
    scheduler,
    clock,
    startWorker: (settings = {}) => {
      const events: WorkerEvent[] = [];
      const worker = broker.createWorker({ resolveTask: moduleTaskResolver(), onEvent: (event) => events.push(event), ...settings });
      workers.push(worker);
      worker.start();
      return { worker, events, started: () => events.filter((event) => event.type === "run-started").length };
    },
    close: async () => {
      for (const worker of workers) await worker.stop(0);
      await scheduler.stop();
      await broker.close();
      await store.close();
    },
  };
}
