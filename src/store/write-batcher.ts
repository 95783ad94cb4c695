import type { Kysely } from "kysely";
import type { StoreSchema } from "./schema.ts";
import type { Store } from "./store.ts";

interface Pending {
  readonly work: (tx: Kysely<StoreSchema>) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Runs the small writes of concurrent callers (a worker's tasks starting and ending) together, in one
 * transaction: each caller awaits its own result; whoever comes while a transaction is under way goes
 * into the next one. A commit costs far more than the statements of one task, and a store has one
 * writer at a time, so one transaction per task would bound a worker's rate at the commit rate.
 * Each piece of work must be safe to run again (a transaction that fails is retried piece by piece,
 * so that one piece's error is that caller's alone).
 */
export class WriteBatcher {
  readonly #store: Store;
  #pending: Pending[] = [];
  /** Whether a flush is under way: it takes whatever is pending when its transaction begins. */
  #flushing = false;

  constructor(store: Store) {
    this.#store = store;
  }

  write<T>(work: (tx: Kysely<StoreSchema>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#flushing) {
        this.#flushing = true;
        void this.#flush();
      }
    });
  }

  async #flush(): Promise<void> {
    // Let the callers of this turn of the event loop join the first transaction.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      try {
        const results = await this.#store.write(async (tx) => {
          const out: unknown[] = [];
          for (const pending of batch) out.push(await pending.work(tx));
          return out;
        });
        batch.forEach((pending, index) => {
          pending.resolve(results[index]);
        });
      } catch (error) {
        if (batch.length === 1) batch[0]?.reject(error);
        else for (const pending of batch) await this.#store.write(pending.work).then(pending.resolve, pending.reject);
      }
    }
    this.#flushing = false;
  }
}
