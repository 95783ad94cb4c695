export interface PollerOptions {
  /** Runs this often even when nobody asks (changes made by other processes show up this way). */
  readonly intervalMs: number;
  /** soon() runs the task this long after the request, so a burst of requests makes one run. */
  readonly soonMs: number;
  readonly onError: (error: unknown) => void;
}

/**
 * Runs an async task every `intervalMs` and shortly after each soon(), never two at once: a request while
 * one runs makes one more run after it. For reads of the store: they are cheap, but a busy scheduler
 * emits events far faster than anyone can read a table.
 */
export class Poller {
  readonly #task: () => Promise<void>;
  readonly #options: PollerOptions;
  #interval: NodeJS.Timeout | null = null;
  #soon: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = false;

  constructor(task: () => Promise<void>, options: PollerOptions) {
    this.#task = task;
    this.#options = options;
  }

  start(): void {
    this.#interval = setInterval(() => {
      this.#run();
    }, this.#options.intervalMs);
    this.#interval.unref();
    this.#run();
  }

  soon(): void {
    if (this.#stopped || this.#soon !== null) return;
    this.#soon = setTimeout(() => {
      this.#soon = null;
      this.#run();
    }, this.#options.soonMs);
    this.#soon.unref();
  }

  /** No run starts after this; resolves when the one under way (if any) has ended. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#interval !== null) clearInterval(this.#interval);
    if (this.#soon !== null) clearTimeout(this.#soon);
    this.#interval = null;
    this.#soon = null;
    await this.#running;
  }

  #run(): void {
    if (this.#stopped) return;
    if (this.#running !== null) {
      this.#again = true;
      return;
    }
    this.#running = this.#task()
      .catch((error: unknown) => {
        if (!this.#stopped) this.#options.onError(error);
      })
      .finally(() => {
        this.#running = null;
        if (this.#again) {
          this.#again = false;
          this.#run();
        }
      });
  }
}
