import { childPath, type MapEntry, type SourceNode } from "./tree.ts";

/**
 * Turns definitions given in code into the same tree a file gives, without positions: arrays become
 * lists, plain objects maps (keys whose value is `undefined` are left out, as JSON would), anything
 * else a scalar — so a function or a Date where a string belongs is reported like any wrong type.
 */
export function treeFromValue(value: unknown, path = "", active = new Set<object>()): SourceNode {
  if (Array.isArray(value) || isPlainObject(value)) {
    if (active.has(value)) return { kind: "scalar", path, at: undefined, value: CIRCULAR };
    active.add(value);
    const node = Array.isArray(value) ? seqOf(value, path, active) : mapOf(value, path, active);
    active.delete(value);
    return node;
  }
  return { kind: "scalar", path, at: undefined, value };
}

/** Stands for a reference back to an enclosing object: reported as a wrong type, never followed. */
export const CIRCULAR: unique symbol = Symbol("circular reference");

function seqOf(items: readonly unknown[], path: string, active: Set<object>): SourceNode {
  return { kind: "seq", path, at: undefined, items: items.map((item, i) => treeFromValue(item, childPath(path, i), active)) };
}

function mapOf(object: Record<string, unknown>, path: string, active: Set<object>): SourceNode {
  const entries: MapEntry[] = [];
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined) continue;
    const keyPath = childPath(path, key);
    entries.push({ key, keyNode: { kind: "scalar", path: keyPath, at: undefined, value: key }, value: treeFromValue(value, keyPath, active) });
  }
  return { kind: "map", path, at: undefined, entries };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
