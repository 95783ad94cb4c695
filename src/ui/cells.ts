import type { JobView } from "../jobs/view.ts";
import { formatDueIn } from "../timing/due-in.ts";
import { formatInstant } from "../timing/format.ts";
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND, type Instant } from "../timing/time.ts";
import { zoneFor } from "../timing/zone.ts";
import { cell, printable, type Cell, type Tone } from "./cell.ts";

/** How each cell of a job's row reads: the seed's formats, plus Last run. Pure: `now` is passed in. */

const STATE_TONES: Readonly<Record<JobView["state"], Tone>> = { Running: "green", Paused: "yellow", Done: "dim" };

export function stateCell(state: JobView["state"]): Cell {
  return cell(state, STATE_TONES[state]);
}

/** `2024-03-03 09:13:00` on the wall clock of the job's zone, as the seed shows it (no offset, no ms). */
export function dueAtCell(nextDue: Instant | null, timezone: string): Cell {
  if (nextDue === null) return cell("—", "dim");
  return cell(formatInstant(nextDue, zoneFor(timezone)).slice(0, 19).replace("T", " "));
}

/**
 * `0:36:09`, `2 days`. A job a few hundred ms past due is being dispatched right now (the table's copy
 * of the store is refreshed after the dispatch), so anything under a second late reads `0:00:00`;
 * later than that it is really overdue and shows negative, in red.
 */
export function dueInCell(nextDue: Instant | null, now: Instant): Cell {
  if (nextDue === null) return cell("—", "dim");
  const ms = nextDue - now;
  if (ms > -MS_PER_SECOND) return cell(formatDueIn(Math.max(0, ms)));
  return cell(formatDueIn(ms), "red");
}

/**
 * `tasks.long_task`, as the seed names a Celery task. A module given as a path shows its file name
 * without extension (the full path is in the API); a package name shows as is.
 */
export function moduleAndTaskCell(module: string, task: string): Cell {
  const isPath = /^(?:[./\\]|[A-Za-z]:[\\/]|file:)/.test(module);
  const name = isPath ? (module.split(/[\\/]/).pop() ?? module).replace(/\.(?:[cm]?[jt]s|tsx|jsx)$/, "") : module;
  return cell(printable(`${name}.${task}`));
}

export function tagsCell(tags: readonly string[]): Cell {
  return cell(printable(tags.join(",")));
}

const RUN_TONES: Readonly<Record<string, Tone>> = {
  success: "green",
  failure: "red",
  retry: "yellow",
  expired: "magenta",
  missed: "magenta",
  started: "cyan",
  pending: "dim",
};

/** `success 3s ago`, `failure 2h ago`; `—` before the first run. */
export function lastRunCell(lastRun: JobView["lastRun"], now: Instant): Cell {
  if (lastRun === null) return cell("—", "dim");
  return cell(`${printable(lastRun.status)} ${formatAgo(now - lastRun.at)}`, RUN_TONES[lastRun.status] ?? "plain");
}

/**
 * `0s ago`, `12s ago`, `5m ago`, `3h ago`, `2d ago`: one unit, rounded down, so the cell stays short
 * (at most 15 columns with its status) and changes at most once a second. A run stamped a little in
 * the future (another machine's clock) reads `0s ago`.
 */
export function formatAgo(ms: number): string {
  if (ms < MS_PER_MINUTE) return `${Math.max(0, Math.floor(ms / MS_PER_SECOND))}s ago`;
  if (ms < MS_PER_HOUR) return `${Math.floor(ms / MS_PER_MINUTE)}m ago`;
  if (ms < MS_PER_DAY) return `${Math.floor(ms / MS_PER_HOUR)}h ago`;
  return `${Math.floor(ms / MS_PER_DAY)}d ago`;
}
