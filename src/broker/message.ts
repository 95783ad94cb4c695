import type { OccurrenceOrigin } from "../store/schema.ts";
import type { Instant } from "../timing/time.ts";

/** What a worker needs to run one occurrence of a job: the payload every broker carries. */
export interface TaskMessage {
  readonly occurrenceId: number;
  /**
   * The first attempt's run, written pending at dispatch: a worker records the attempt there without
   * looking it up. Absent from messages sent before it was carried.
   */
  readonly runId?: number;
  readonly jobName: string;
  /** Absolute module path or package specifier. */
  readonly module: string;
  readonly task: string;
  readonly args: readonly unknown[];
  readonly kwargs: Readonly<Record<string, unknown>> | null;
  /** Retries allowed after the first attempt; null = the task's own setting. */
  readonly retries: number | null;
  /** Seconds; null = the task's own setting. */
  readonly timeout: number | null;
  /** Past this instant the message is not run but recorded as expired. */
  readonly expiresAt: Instant | null;
}

export interface EnqueueRequest {
  readonly queue: string;
  /** Higher first. */
  readonly priority: number;
  /**
   * Whether some job on this queue has a priority above 0, as the scheduler knows its jobs (absent: not
   * known, so assumed). A broker that runs unprioritised messages first must then rank even priority 0.
   */
  readonly queueHasHigherPriority?: boolean;
  /** Not before this instant (countdown / ETA). */
  readonly availableAt: Instant;
  readonly message: TaskMessage;
  /** The occurrence's key with `message.jobName` (unique in the ledger): a remote broker's idempotency key. */
  readonly dueAt: Instant;
  readonly origin: OccurrenceOrigin;
}

/** A claimed message: the worker holds its lease until it completes, retries or releases it. */
export interface Delivery {
  readonly id: number;
  readonly queue: string;
  readonly message: TaskMessage;
  /** 1 for the first attempt; grows with each retry and each redelivery after a worker died. */
  readonly attempt: number;
}
