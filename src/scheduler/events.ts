import type { Instant } from "../timing/time.ts";

/** What the scheduler reports as it works: the live table and the logs listen to these. */
export type SchedulerEvent =
  | { readonly type: "started"; readonly jobs: number }
  | { readonly type: "scheduled"; readonly job: string; readonly nextDue: Instant | null }
  | { readonly type: "updated"; readonly job: string; readonly nextDue: Instant | null }
  /** A job that another source declared (a schedule file no longer there) is this source's now. */
  | { readonly type: "taken-over"; readonly job: string; readonly from: string; readonly by: string }
  | {
      readonly type: "dispatched";
      readonly job: string;
      readonly dueAt: Instant;
      /** Dispatched minus due, ms. */
      readonly lateness: number;
      readonly occurrenceId: number;
      readonly catchUp: boolean;
    }
  | { readonly type: "missed"; readonly job: string; readonly dueAt: Instant; readonly occurrenceId: number }
  | { readonly type: "missed-unlisted"; readonly job: string; readonly count: number }
  | { readonly type: "triggered"; readonly job: string; readonly occurrenceId: number }
  | { readonly type: "paused"; readonly job: string }
  | { readonly type: "resumed"; readonly job: string; readonly nextDue: Instant | null }
  | { readonly type: "deleted"; readonly job: string }
  | { readonly type: "done"; readonly job: string }
  | { readonly type: "error"; readonly error: unknown }
  /** What failed before (the store, Redis) answers again: the errors that repeated are over. */
  | { readonly type: "recovered"; readonly what: string };
