import { argumentsProblem } from "../jobs/arguments.ts";
import type { DispatchOptions } from "../jobs/definition.ts";
import { MAX_DELAY_SECONDS, MAX_PRIORITY, MAX_RETRIES, MAX_TIMEOUT_SECONDS, MIN_PRIORITY } from "../jobs/limits.ts";
import { MAX_LENGTH } from "../jobs/text.ts";
import { OPTION_KEYS } from "./keys.ts";
import type { ProblemLog } from "./problems.ts";
import { describeNode, readFields, readList, readNumber, readString } from "./read.ts";
import { plainValue, type SourceNode } from "./tree.ts";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * `additional_options` → DispatchOptions, or undefined after reporting. Durations are seconds; none
 * may be negative; `args` and `kwargs` must be JSON data, since they travel through the broker.
 */
export function readDispatchOptions(node: SourceNode, log: ProblemLog): DispatchOptions | undefined {
  const fields = readFields(node, OPTION_KEYS, log, '"additional_options"');
  if (fields === undefined) return undefined;
  const before = log.count;
  const options: Mutable<DispatchOptions> = {};
  for (const [key, value] of fields) {
    const label = `additional_options.${key}`;
    switch (key) {
      case "queue":
        assign(options, "queue", readString(value, log, label, { maxLength: MAX_LENGTH.queue, printable: true }));
        break;
      case "priority":
        assign(options, "priority", readNumber(value, log, label, { integer: true, min: MIN_PRIORITY, max: MAX_PRIORITY }));
        break;
      case "args": {
        const list = readList(value, log, label, "JSON values");
        if (list !== undefined) assign(options, "args", readArguments(list, log, label) as unknown[] | undefined);
        break;
      }
      case "kwargs":
        if (value.kind !== "map") log.add(value, `"${label}" must be a map of named arguments, not ${describeNode(value)}`);
        else assign(options, "kwargs", readArguments(value, log, label) as Record<string, unknown> | undefined);
        break;
      case "countdown":
        assign(options, "countdown", readNumber(value, log, label, { min: 0, max: MAX_DELAY_SECONDS, unit: "seconds" }));
        break;
      case "expires":
        assign(options, "expires", readNumber(value, log, label, { above: 0, max: MAX_DELAY_SECONDS, unit: "seconds" }));
        break;
      case "retries":
        assign(options, "retries", readNumber(value, log, label, { integer: true, min: 0, max: MAX_RETRIES }));
        break;
      case "timeout":
        assign(options, "timeout", readNumber(value, log, label, { above: 0, max: MAX_TIMEOUT_SECONDS, unit: "seconds" }));
        break;
    }
  }
  const { countdown, expires } = options;
  const expiresNode = fields.get("expires");
  if (countdown !== undefined && expires !== undefined && expiresNode !== undefined && expires <= countdown) {
    log.add(expiresNode, `"additional_options.expires" (${expires} s) must be greater than "countdown" (${countdown} s), or every run would expire before it may start`);
  }
  return log.count === before ? options : undefined;
}

function assign<K extends keyof DispatchOptions>(options: Mutable<DispatchOptions>, key: K, value: DispatchOptions[K] | undefined): void {
  if (value !== undefined) options[key] = value;
}

/** The plain value of `args` or `kwargs`, or undefined after reporting why it cannot be a job's (see arguments.ts). */
function readArguments(node: SourceNode, log: ProblemLog, label: string): unknown {
  if (!isJson(node, log, label)) return undefined;
  const value = plainValue(node);
  const problem = argumentsProblem(value);
  if (problem === undefined) return value;
  log.add(node, `"${label}" ${problem}`);
  return undefined;
}

/** Whether every leaf is JSON data (no `.nan`, `.inf`, function, date…); reports the first that is not. */
function isJson(node: SourceNode, log: ProblemLog, label: string): boolean {
  if (node.kind === "seq") return node.items.every((item) => isJson(item, log, label));
  if (node.kind === "map") return node.entries.every((entry) => isJson(entry.value, log, label));
  const { value } = node;
  const ok = value === null || typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
  if (!ok) log.add(node, `"${label}" must hold JSON data only (strings, finite numbers, booleans, null, lists, maps), not ${describeNode(node)}`);
  return ok;
}
