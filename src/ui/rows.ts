import type { JobView } from "../jobs/view.ts";
import type { Instant } from "../timing/time.ts";
import { cell, printable, type Cell } from "./cell.ts";
import { dueAtCell, dueInCell, lastRunCell, moduleAndTaskCell, stateCell, tagsCell } from "./cells.ts";
import type { ColumnKey } from "./columns.ts";

/** One job as a table row: every column's cell, before any column is squeezed or dropped. */
export interface JobRow {
  readonly name: string;
  readonly cells: Readonly<Record<ColumnKey, Cell>>;
}

export function jobRow(job: JobView, now: Instant): JobRow {
  return {
    name: job.name,
    cells: {
      state: stateCell(job.state),
      schedule: cell(printable(job.kind)),
      name: cell(printable(job.name)),
      moduleTask: moduleAndTaskCell(job.module, job.task),
      dueAt: dueAtCell(job.nextDue, job.timezone),
      timezone: cell(printable(job.timezone)),
      dueIn: dueInCell(job.nextDue, now),
      attempts: cell(job.attemptsLabel),
      tags: tagsCell(job.tags),
      lastRun: lastRunCell(job.lastRun, now),
    },
  };
}

/** The rows in table order (see compareJobs). */
export function jobRows(jobs: readonly JobView[], now: Instant): JobRow[] {
  return [...jobs].sort(compareJobs).map((job) => jobRow(job, now));
}

const STATE_RANK: Readonly<Record<JobView["state"], number>> = { Running: 0, Paused: 1, Done: 2 };

/**
 * Running jobs first, then paused, then done; within each, the soonest due first (a job with no next
 * due last), then by name. The order is total, so two redraws of the same jobs are identical however
 * the store returned them; names are compared by code unit, not locale, for the same reason.
 */
export function compareJobs(a: JobView, b: JobView): number {
  const byState = STATE_RANK[a.state] - STATE_RANK[b.state];
  if (byState !== 0) return byState;
  const dueA = a.nextDue ?? Number.POSITIVE_INFINITY;
  const dueB = b.nextDue ?? Number.POSITIVE_INFINITY;
  if (dueA !== dueB) return dueA < dueB ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
