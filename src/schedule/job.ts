import { DEFAULT_MAX_CATCHUP, MISSED_POLICIES, type DispatchOptions, type JobDefinition, type MissedPolicy } from "../jobs/definition.ts";
import { quoted } from "../errors/echo.ts";
import { MAX_CATCHUP } from "../jobs/limits.ts";
import { MAX_LENGTH, tagProblem } from "../jobs/text.ts";
import { suggest } from "../timing/suggest.ts";
import { readDispatchOptions } from "./dispatch-options.ts";
import { JOB_KEYS, SCHEDULE_KEYS } from "./keys.ts";
import type { ProblemLog } from "./problems.ts";
import { describeNode, readBoolean, readFields, readList, readNumber, readString } from "./read.ts";
import { checkTiming, type Written } from "./timing.ts";
import type { SourceNode } from "./tree.ts";

/** One entry of a block's `schedules`, as far as it could be read. */
export interface JobEntry {
  readonly node: SourceNode;
  /** For the duplicate check, even when the rest of the job is invalid. */
  readonly name: Written<string> | undefined;
  /** For the module check, even when the rest of the job is invalid. */
  readonly task: Written<string> | undefined;
  readonly enabled: boolean;
  /** Everything but the module, when the job had no problem. */
  readonly job: Omit<JobDefinition, "module"> | undefined;
}

/** Reads one job: every key checked, every problem reported; `job` only when all is well. */
export function readJob(node: SourceNode, log: ProblemLog): JobEntry {
  const before = log.count;
  const fields = readFields(node, JOB_KEYS, log, subjectOf(node));
  if (fields === undefined) return { node, name: undefined, task: undefined, enabled: true, job: undefined };
  const name = written(fields.get("name"), (n) => readString(n, log, "name", { maxLength: MAX_LENGTH.name, printable: true }));
  const task = written(fields.get("task"), (n) => readString(n, log, "task", { maxLength: MAX_LENGTH.task, printable: true }));
  const enabledNode = fields.get("enabled");
  const enabled = enabledNode === undefined ? true : readBoolean(enabledNode, log, "enabled");
  const scheduleNode = fields.get("schedule");
  const schedule = scheduleNode === undefined ? undefined : readSchedule(scheduleNode, log);
  const optionsNode = fields.get("additional_options");
  const options: DispatchOptions | undefined = optionsNode === undefined ? {} : readDispatchOptions(optionsNode, log);
  const tagsNode = fields.get("tags");
  const tags = tagsNode === undefined ? [] : readTags(tagsNode, log);
  const missedNode = fields.get("missed");
  const missed = missedNode === undefined ? "once" : readMissed(missedNode, log);
  const catchupNode = fields.get("max_catchup");
  const maxCatchup = catchupNode === undefined ? DEFAULT_MAX_CATCHUP : readMaxCatchup(catchupNode, missed, log);

  const valid =
    log.count === before &&
    name !== undefined &&
    task !== undefined &&
    schedule !== undefined &&
    options !== undefined &&
    tags !== undefined &&
    missed !== undefined &&
    maxCatchup !== undefined;
  const job = valid
    ? { name: name.value, task: task.value, timing: schedule.timing, timezone: schedule.timezone, tags, options, missed, maxCatchup }
    : undefined;
  return { node, name, task, enabled: enabled ?? true, job };
}

/** `job "nightly"` when the job has a readable name, for messages about the job as a whole. */
function subjectOf(node: SourceNode): string {
  const name = node.kind === "map" ? node.entries.find((entry) => entry.key === "name")?.value : undefined;
  return name?.kind === "scalar" && typeof name.value === "string" && name.value.trim() !== "" ? `job "${name.value}"` : "a job";
}

function written<T>(node: SourceNode | undefined, read: (node: SourceNode) => T | undefined): Written<T> | undefined {
  if (node === undefined) return undefined;
  const value = read(node);
  return value === undefined ? undefined : { value, node };
}

function readSchedule(node: SourceNode, log: ProblemLog): { timing: string; timezone: string } | undefined {
  if (node.kind === "scalar" && typeof node.value === "string") {
    // The seed's format nests the expression one level down; writing it directly is a natural slip.
    log.add(node, `"schedule" must be a map, not the string ${quoted(node.value)}; write schedule: { timing: ${quoted(node.value)} }`);
    return undefined;
  }
  const fields = readFields(node, SCHEDULE_KEYS, log, '"schedule"');
  if (fields === undefined) return undefined;
  const timing = written(fields.get("timing"), (n) => readString(n, log, "timing", { maxLength: MAX_LENGTH.timing }));
  const zoneNode = fields.get("timezone");
  const timezone = written(zoneNode, (n) => readString(n, log, "timezone", { maxLength: MAX_LENGTH.timezone, printable: true }));
  if (timing === undefined) return undefined;
  if (zoneNode !== undefined && timezone === undefined) {
    // The zone's problem is reported; the expression is still checked (in UTC), so both show at once.
    checkTiming(timing, undefined, log);
    return undefined;
  }
  const zone = checkTiming(timing, timezone, log);
  return zone === undefined ? undefined : { timing: timing.value, timezone: zone };
}

/** Tags are a set: a repeated tag is kept once. */
function readTags(node: SourceNode, log: ProblemLog): string[] | undefined {
  const list = readList(node, log, "tags", "strings");
  if (list === undefined) return undefined;
  const tags = list.items.map((item, i) => readTag(item, log, `tags[${i}]`));
  return tags.every((tag) => tag !== undefined) ? [...new Set(tags)] : undefined;
}

function readTag(node: SourceNode, log: ProblemLog, label: string): string | undefined {
  const tag = readString(node, log, label, { maxLength: MAX_LENGTH.tag, printable: true });
  const problem = tag === undefined ? undefined : tagProblem(tag);
  if (problem === undefined) return tag;
  log.add(node, `"${label}" (${JSON.stringify(tag)}) ${problem}`);
  return undefined;
}

function readMissed(node: SourceNode, log: ProblemLog): MissedPolicy | undefined {
  const value = node.kind === "scalar" ? node.value : undefined;
  if (typeof value === "string" && (MISSED_POLICIES as readonly string[]).includes(value)) return value as MissedPolicy;
  const close = typeof value === "string" ? suggest(value, MISSED_POLICIES) : undefined;
  const hint = close === undefined ? "" : `; did you mean "${close}"?`;
  log.add(node, `"missed" must be one of ${MISSED_POLICIES.join(", ")}, not ${describeNode(node)}${hint}`);
  return undefined;
}

/**
 * Only `missed: all` replays missed occurrences, so only it has a limit; on any other policy the key
 * would silently do nothing, which is worth telling.
 */
function readMaxCatchup(node: SourceNode, missed: MissedPolicy | undefined, log: ProblemLog): number | undefined {
  const value = readNumber(node, log, "max_catchup", { integer: true, min: 1, max: MAX_CATCHUP });
  if (value === undefined || missed === undefined || missed === "all") return value;
  log.add(node, `"max_catchup" applies only with "missed: all" (this job has missed: ${missed})`);
  return undefined;
}
