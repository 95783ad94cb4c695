/** What a worker reports as it runs tasks: the live table and the logs listen to these. */
export type WorkerEvent =
  | { readonly type: "run-started"; readonly job: string; readonly runId: number; readonly attempt: number }
  | { readonly type: "run-succeeded"; readonly job: string; readonly runId: number; readonly durationMs: number }
  | {
      readonly type: "run-failed";
      readonly job: string;
      readonly runId: number;
      readonly attempt: number;
      /** The error's first line. */
      readonly error: string;
      /** When a retry follows: its earliest start. */
      readonly retryAt: number | null;
    }
  | { readonly type: "run-expired"; readonly job: string; readonly runId: number }
  | { readonly type: "lease-lost"; readonly job: string; readonly runId: number }
  /** The event loop, which renews the running tasks' leases, was held up for half a lease or more (see LoopWatch). */
  | { readonly type: "loop-held"; readonly heldMs: number; readonly leaseMs: number; readonly running: number }
  | { readonly type: "worker-error"; readonly error: unknown }
  /** The store answers the worker's writes again after failing them. */
  | { readonly type: "worker-recovered"; readonly what: string };
