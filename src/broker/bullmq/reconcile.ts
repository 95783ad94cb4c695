import type { Job } from "bullmq";
import type { Kysely } from "kysely";
import { runsRepository, type RunRecord } from "../../store/runs.ts";
import type { StoreSchema } from "../../store/schema.ts";
import type { TaskMessage } from "../message.ts";
import { outbox } from "./outbox.ts";

/** A job BullMQ finished whose end the store does not have: its worker died before writing it. */
export interface FinishedJob {
  readonly jobId: string;
  readonly job: Job<TaskMessage>;
  readonly state: "completed" | "failed";
}

/**
 * Records the ends of jobs that BullMQ finished but whose worker died before writing them (workers
 * write behind their tasks, see RunRecorder), from what BullMQ keeps of each job: its return value or
 * failure, when it started and ended, and which worker ran it. Each occurrence's latest attempt gets
 * the end unless it has one already; the outbox rows go.
 */
export async function recordFinishedJobs(tx: Kysely<StoreSchema>, finished: readonly FinishedJob[]): Promise<void> {
  if (finished.length === 0) return;
  const latest = await runsRepository.latestAttempts(
    tx,
    finished.map(({ job }) => job.data.occurrenceId),
  );
  const byWorker = new Map<string, RunRecord[]>();
  for (const { job, state } of finished) {
    const run = latest.get(job.data.occurrenceId);
    if (run === undefined || (run.status !== "pending" && run.status !== "started")) continue;
    const worker = job.processedBy ?? "unknown worker";
    const records = byWorker.get(worker) ?? [];
    records.push(recordOf(job, state, run.runId));
    byWorker.set(worker, records);
  }
  for (const [worker, records] of byWorker) await runsRepository.record(tx, records, worker);
  await outbox.removeAll(
    tx,
    finished.map((f) => f.jobId),
  );
}

function recordOf(job: Job<TaskMessage>, state: FinishedJob["state"], runId: number): RunRecord {
  const startedAt = job.processedOn ?? job.finishedOn ?? 0;
  const base = { runId, occurrenceId: job.data.occurrenceId, jobName: job.data.jobName, startedAt, finishedAt: job.finishedOn ?? startedAt, errorStack: null };
  if (state === "failed") return { ...base, status: "failure", result: null, error: job.failedReason, errorStack: job.stacktrace?.at(-1) ?? null };
  // The worker returns the run's JSON result (a string), or null for a task that had expired.
  const { expiresAt } = job.data;
  if (expiresAt !== null && startedAt > expiresAt) return { ...base, status: "expired", result: null, error: `expired: not started by ${new Date(expiresAt).toISOString()}` };
  return { ...base, status: "success", result: typeof job.returnvalue === "string" ? job.returnvalue : null, error: null };
}
