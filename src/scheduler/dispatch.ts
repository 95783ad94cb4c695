import { sql, type Kysely } from "kysely";
import type { EnqueueRequest } from "../broker/message.ts";
import type { TaskQueue } from "../broker/task-queue.ts";
import type { JobDefinition } from "../jobs/definition.ts";
import { JSON_ROWS_CHUNK, jsonRows, type JsonColumn } from "../store/json-rows.ts";
import type { JobState, OccurrenceOrigin, OccurrenceOutcome, StoreSchema } from "../store/schema.ts";
import type { Instant } from "../timing/time.ts";
import type { PlannedOccurrence } from "./plan.ts";
import { chunksOf } from "../util/chunks.ts";

export interface DispatchItem {
  readonly definition: JobDefinition;
  readonly origin: OccurrenceOrigin;
  readonly occurrences: readonly PlannedOccurrence[];
  /** The job's state and next due after this dispatch; undefined leaves them as they are (a manual trigger). */
  readonly after?: { readonly state: JobState; readonly nextDue: Instant | null };
}

export interface DispatchedOccurrence {
  readonly id: number;
  readonly jobName: string;
  readonly dueAt: Instant;
  readonly outcome: OccurrenceOutcome;
}

const CHUNK = 500;

/** Each rescheduled job's row for updateJobsAfterDispatch. */
const DUE: readonly JsonColumn[] = [
  ["name", "text"],
  ["state", "text"],
  ["next_due", "bigint"],
  ["sent", "bigint"],
];

/** How late a dispatch was; one sent ahead of its due instant (see lookaheadMs) was on time: 0. */
export function latenessOf(dueAt: Instant, dispatchedAt: Instant): number {
  return Math.max(0, dispatchedAt - dueAt);
}

/**
 * Records occurrences and sends the ones to run, in the caller's write transaction. The unique key
 * (job, due instant, origin) makes a second write of the same occurrence a no-op, so whatever inserted
 * nothing is neither run nor counted: exactly once, also with several schedulers or after a crash.
 */
export async function writeDispatch(
  tx: Kysely<StoreSchema>,
  queue: TaskQueue,
  items: readonly DispatchItem[],
  now: Instant,
  /** The queues where some job has a priority above 0, when the caller knows every job (see EnqueueRequest). */
  queuesWithHigherPriority?: ReadonlySet<string>,
): Promise<DispatchedOccurrence[]> {
  const byName = new Map(items.map((item) => [item.definition.name, item]));
  // Rows go in key order: two schedulers writing the same occurrences then take their locks in the
  // same order (PostgreSQL would otherwise detect a deadlock and retry one), and SQLite finds
  // neighbouring keys in the pages it just touched.
  const rows = [...items].sort(byJobName).flatMap((item) =>
    item.occurrences.map((occurrence) => ({
      job_name: item.definition.name,
      due_at: occurrence.dueAt,
      origin: item.origin,
      outcome: occurrence.outcome,
      reason: occurrence.reason,
      dispatched_at: occurrence.outcome === "missed" ? null : now,
      lateness: occurrence.outcome === "missed" ? null : latenessOf(occurrence.dueAt, now),
    })),
  );
  const inserted: DispatchedOccurrence[] = [];
  for (const part of chunksOf(rows, CHUNK)) {
    const written = await tx
      .insertInto("occurrences")
      .values(part)
      .onConflict((conflict) => conflict.columns(["job_name", "due_at", "origin"]).doNothing())
      .returning(["id", "job_name", "due_at", "outcome"])
      .execute();
    for (const row of written) {
      inserted.push({ id: row.id, jobName: row.job_name, dueAt: row.due_at, outcome: row.outcome });
    }
  }

  const runs = inserted.map((occurrence) => ({
    occurrence_id: occurrence.id,
    job_name: occurrence.jobName,
    attempt: 1,
    status: occurrence.outcome === "missed" ? ("missed" as const) : ("pending" as const),
    queue: byName.get(occurrence.jobName)?.definition.options.queue ?? "default",
    worker_id: null,
    enqueued_at: now,
    started_at: null,
    finished_at: null,
    result: null,
    error: null,
    error_stack: null,
  }));
  // Each message carries its first run's id: the worker records the attempt there without a lookup.
  const runIds = new Map<number, number>();
  for (const part of chunksOf(runs, CHUNK)) {
    const written = await tx.insertInto("runs").values(part).returning(["id", "occurrence_id"]).execute();
    for (const row of written) runIds.set(row.occurrence_id, row.id);
  }

  const requests: EnqueueRequest[] = [];
  const sent = new Map<string, number>();
  for (const occurrence of inserted) {
    if (occurrence.outcome === "missed") continue;
    const item = byName.get(occurrence.jobName);
    if (item === undefined) continue;
    const request = requestFor(item.definition, occurrence, item.origin, runIds.get(occurrence.id));
    requests.push(queuesWithHigherPriority === undefined ? request : { ...request, queueHasHigherPriority: queuesWithHigherPriority.has(request.queue) });
    sent.set(occurrence.jobName, (sent.get(occurrence.jobName) ?? 0) + 1);
  }
  await queue.enqueue(tx, requests, now);

  await updateJobsAfterDispatch(tx, items, sent, now);
  return inserted;
}

/**
 * Each job's new state, next due and attempt count, in one statement per chunk of jobs rather than one
 * per job: a batch holds up to a thousand jobs, and the statements would be most of its time.
 */
async function updateJobsAfterDispatch(tx: Kysely<StoreSchema>, items: readonly DispatchItem[], sent: ReadonlyMap<string, number>, now: Instant): Promise<void> {
  const rescheduled = items.filter((item) => item.after !== undefined).sort(byJobName);
  for (const part of chunksOf(rescheduled, JSON_ROWS_CHUNK)) {
    const rows = part.map((item) => {
      const name = item.definition.name;
      return [name, item.after?.state ?? null, item.after?.nextDue ?? null, sent.get(name) ?? 0];
    });
    // A pause made by another scheduler, which this one has not seen yet, stays.
    await sql`with due as ${jsonRows(tx, DUE, rows)}
      update jobs set state = case when jobs.state = 'paused' then jobs.state else due.state end, next_due = due.next_due, attempts = attempts + due.sent, updated_at = ${now}
      from due where jobs.name = due.name`.execute(tx);
  }
  // Manual triggers leave the schedule alone: only the attempts count.
  for (const item of items) {
    const count = sent.get(item.definition.name) ?? 0;
    if (item.after !== undefined || count === 0) continue;
    await tx
      .updateTable("jobs")
      .set((eb) => ({ attempts: eb("attempts", "+", count), updated_at: now }))
      .where("name", "=", item.definition.name)
      .execute();
  }
}

function byJobName(a: DispatchItem, b: DispatchItem): number {
  const x = a.definition.name;
  const y = b.definition.name;
  return x < y ? -1 : x > y ? 1 : 0;
}

function requestFor(definition: JobDefinition, occurrence: DispatchedOccurrence, origin: OccurrenceOrigin, runId: number | undefined): EnqueueRequest {
  const options = definition.options;
  const kwargs = options.kwargs !== undefined && Object.keys(options.kwargs).length > 0 ? options.kwargs : null;
  return {
    queue: options.queue ?? "default",
    priority: options.priority ?? 0,
    availableAt: occurrence.dueAt + (options.countdown ?? 0) * 1000,
    dueAt: occurrence.dueAt,
    origin,
    message: {
      occurrenceId: occurrence.id,
      ...(runId === undefined ? {} : { runId }),
      jobName: definition.name,
      module: definition.module,
      task: definition.task,
      args: options.args ?? [],
      kwargs,
      retries: options.retries ?? null,
      timeout: options.timeout ?? null,
      expiresAt: options.expires === undefined ? null : occurrence.dueAt + options.expires * 1000,
    },
  };
}
