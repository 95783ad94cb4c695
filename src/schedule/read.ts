import { maximumText } from "../jobs/limits.ts";
import { quoted } from "../errors/echo.ts";
import { controlCharacterIn } from "../jobs/text.ts";
import { suggest } from "../timing/suggest.ts";
import { CIRCULAR } from "./from-value.ts";
import type { KeySet } from "./keys.ts";
import type { ProblemLog } from "./problems.ts";
import type { MapNode, ScalarNode, SeqNode, SourceNode } from "./tree.ts";

/**
 * Typed reads of tree nodes. Each reports what is wrong at the node and returns undefined, so the
 * caller carries on and every problem of a file is found in one pass.
 */

/**
 * The entries of a map with the keys of `keys`: unknown keys are reported at the key (with a
 * did-you-mean), missing required ones at the map. Undefined when the node is not a map.
 */
export function readFields(node: SourceNode, keys: KeySet, log: ProblemLog, subject: string): Map<string, SourceNode> | undefined {
  if (node.kind !== "map") {
    log.add(node, `${subject} must be a map of ${keys.keys.join(", ")}, not ${describeNode(node)}`);
    return undefined;
  }
  const fields = new Map<string, SourceNode>();
  for (const entry of node.entries) {
    if (keys.keys.includes(entry.key)) {
      fields.set(entry.key, entry.value);
      continue;
    }
    const close = suggest(entry.key, keys.keys.filter((key) => !hasKey(node, key)));
    log.add(
      entry.keyNode,
      close === undefined
        ? `unknown key ${quoted(entry.key)} in ${keys.what} (expected ${keys.keys.join(", ")})`
        : `unknown key ${quoted(entry.key)} in ${keys.what}; did you mean "${close}"?`,
    );
  }
  for (const key of keys.required) {
    if (!fields.has(key)) log.add(node, `${subject} has no "${key}"`);
  }
  return fields;
}

function hasKey(node: MapNode, key: string): boolean {
  return node.entries.some((entry) => entry.key === key);
}

export interface TextRule {
  /** Longest length, in characters (see text.ts). */
  readonly maxLength?: number;
  /** No control characters: a name, module, task, zone, queue or tag. */
  readonly printable?: boolean;
}

export function readString(node: SourceNode, log: ProblemLog, label: string, rule: TextRule = {}): string | undefined {
  if (node.kind === "scalar" && typeof node.value === "string") {
    const { value } = node;
    const control = rule.printable === true ? controlCharacterIn(value) : undefined;
    if (value.trim() === "") log.add(node, `"${label}" must not be empty`);
    else if (rule.maxLength !== undefined && value.length > rule.maxLength) {
      log.add(node, `"${label}" is too long: ${value.length} characters, at most ${rule.maxLength}`);
    } else if (control !== undefined) log.add(node, `"${label}" must not hold control characters (${control})`);
    else return value;
    return undefined;
  }
  log.add(node, `"${label}" must be a string, not ${describeNode(node)}`);
  return undefined;
}

export function readBoolean(node: SourceNode, log: ProblemLog, label: string): boolean | undefined {
  if (node.kind === "scalar" && typeof node.value === "boolean") return node.value;
  log.add(node, `"${label}" must be true or false, not ${describeNode(node)}`);
  return undefined;
}

export interface NumberRule {
  readonly integer?: boolean;
  /** Smallest value allowed (inclusive). */
  readonly min?: number;
  /** Values must be greater than this. */
  readonly above?: number;
  /** Largest value allowed (inclusive): see limits.ts. */
  readonly max?: number;
  /** What the number counts, for the message: `seconds`, `retries`. */
  readonly unit?: string;
}

export function readNumber(node: SourceNode, log: ProblemLog, label: string, rule: NumberRule = {}): number | undefined {
  const value = node.kind === "scalar" ? node.value : undefined;
  const wanted = numberWanted(rule);
  if (typeof value !== "number" || !Number.isFinite(value)) {
    log.add(node, `"${label}" must be ${wanted}, not ${describeNode(node)}`);
    return undefined;
  }
  const fits =
    (rule.integer !== true || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.above === undefined || value > rule.above) &&
    (rule.max === undefined || value <= rule.max);
  if (fits) return value;
  log.add(node, `"${label}" must be ${wanted}, not ${value}`);
  return undefined;
}

function numberWanted(rule: NumberRule): string {
  const kind = rule.integer === true ? "a whole number" : "a number";
  const unit = rule.unit === undefined ? "" : ` of ${rule.unit}`;
  const bound = rule.above !== undefined ? ` > ${rule.above}` : rule.min !== undefined ? ` ≥ ${rule.min}` : "";
  const max = rule.max === undefined ? "" : `${bound === "" ? "" : " and"} at most ${maximumText(rule.max)}`;
  return `${kind}${unit}${bound}${max}`;
}

export function readList(node: SourceNode, log: ProblemLog, label: string, of: string): SeqNode | undefined {
  if (node.kind === "seq") return node;
  log.add(node, `"${label}" must be a list of ${of}, not ${describeNode(node)}`);
  return undefined;
}

/** What a node is, for `must be X, not Y` messages: `the string "yes"`, `a list`, `empty`. */
export function describeNode(node: SourceNode): string {
  if (node.kind === "map") return "a map";
  if (node.kind === "seq") return "a list";
  return describeScalar(node);
}

function describeScalar(node: ScalarNode): string {
  const { value } = node;
  if (value === null) return "empty";
  if (value === CIRCULAR) return "a circular reference";
  switch (typeof value) {
    case "string":
      return `the string ${quoted(value)}`;
    case "number":
    case "boolean":
    case "bigint":
      return `the ${typeof value} ${String(value)}`;
    case "function":
      return "a function";
    case "undefined":
      return "undefined";
    case "symbol":
      return "a symbol";
    default:
      return value instanceof Date ? "a date" : "an object that is not a plain object";
  }
}
