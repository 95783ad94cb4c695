/**
 * A schedule as read, before any meaning is given to it: maps, lists and scalars, each knowing where
 * it came from. A YAML (or JSON) file and a list given in code both become this tree, so one validator
 * serves both and only the positions differ: line and column for text, a structural path always.
 */

/** 1-based line and column in the file. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

interface NodeBase {
  /** Where in the structure: `[0].schedules[2].schedule.timing` (`""` for the root). */
  readonly path: string;
  /** Where in the text; undefined for definitions given in code. */
  readonly at: Position | undefined;
}

export interface MapEntry {
  readonly key: string;
  /** The key itself, where unknown-key problems point. */
  readonly keyNode: ScalarNode;
  readonly value: SourceNode;
}

export interface MapNode extends NodeBase {
  readonly kind: "map";
  readonly entries: readonly MapEntry[];
}

export interface SeqNode extends NodeBase {
  readonly kind: "seq";
  readonly items: readonly SourceNode[];
}

export interface ScalarNode extends NodeBase {
  readonly kind: "scalar";
  /** A string, number, boolean or null from YAML; anything that is not a list or plain object from code. */
  readonly value: unknown;
  /**
   * Where the value's first character is, when the value is written character for character on one
   * line (plain, or quoted without escapes): a column inside the value then maps to a column of the
   * file. Undefined otherwise (block scalars, escapes, values from code).
   */
  readonly verbatimAt?: Position | undefined;
}

export type SourceNode = MapNode | SeqNode | ScalarNode;

export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (!/^[A-Za-z_][\w-]*$/.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === "" ? key : `${parent}.${key}`;
}

/** The plain value of a node, as code would see it (lists as arrays, maps as objects). */
export function plainValue(node: SourceNode): unknown {
  switch (node.kind) {
    case "scalar":
      return node.value;
    case "seq":
      return node.items.map(plainValue);
    case "map":
      return Object.fromEntries(node.entries.map((entry) => [entry.key, plainValue(entry.value)]));
  }
}
