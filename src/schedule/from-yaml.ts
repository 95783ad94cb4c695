import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  Scalar,
  type Document,
  type Node as YamlNode,
  type YAMLError,
} from "yaml";
import { childPath, type MapEntry, type Position, type ScalarNode, type SourceNode } from "./tree.ts";

/** A problem found while reading the text, before any meaning is given to it. */
export interface TextProblem {
  readonly at: Position;
  readonly message: string;
}

export interface ParsedText {
  /** Undefined for an empty document, or when the syntax is too broken to trust the structure. */
  readonly root: SourceNode | undefined;
  readonly problems: readonly TextProblem[];
  /** False when the text was empty (or only comments). */
  readonly hasContent: boolean;
}

/**
 * Reads YAML — and so JSON, which is YAML — into a positioned tree. YAML 1.2 core schema, so `yes`
 * and `on` stay strings (unlike YAML 1.1, which would read `enabled: yes` as true). Duplicate keys are
 * problems; any other syntax error stops here, since the structure after it cannot be trusted and
 * would produce misleading follow-up problems.
 */
export function parseYamlText(text: string): ParsedText {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, strict: true, uniqueKeys: true });
  const positionOf = (offset: number): Position => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  const problems: TextProblem[] = [...doc.errors, ...doc.warnings].map((error) => ({
    at: positionOf(error.pos[0]),
    message: describeYamlError(error, text),
  }));
  const fatal = doc.errors.some((error) => error.code !== "DUPLICATE_KEY");
  if (fatal || doc.contents === null) return { root: undefined, problems, hasContent: doc.contents !== null };
  const converter = new Converter(doc, text, positionOf, problems);
  return { root: converter.convert(doc.contents, "", new Set()), problems, hasContent: true };
}

function describeYamlError(error: YAMLError, text: string): string {
  switch (error.code) {
    case "DUPLICATE_KEY":
      return `duplicate key ${JSON.stringify(keyText(text, error.pos[0]))}: each key may appear once in a map`;
    case "MULTIPLE_DOCS":
      return 'a schedule file holds one YAML document: remove the "---" separator or split the file';
    default:
      return `YAML syntax: ${error.message.split("\n")[0] ?? error.code}`;
  }
}

/** The key that starts at `offset`, for the duplicate-key message. */
function keyText(text: string, offset: number): string {
  const rest = text.slice(offset);
  const quoted = /^(["'])(.*?)\1/.exec(rest);
  if (quoted !== null) return quoted[2] ?? "";
  return (/^[^:\n]*/.exec(rest)?.[0] ?? "").trim();
}

class Converter {
  constructor(
    private readonly doc: Document,
    private readonly text: string,
    private readonly positionOf: (offset: number) => Position,
    private readonly problems: TextProblem[],
  ) {}

  /** `active` holds the aliased nodes being expanded, so `&a [*a]` is reported, not followed forever. */
  convert(node: unknown, path: string, active: Set<unknown>): SourceNode {
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (target === undefined || active.has(target)) {
        const at = this.at(node);
        this.problems.push({ at: at ?? { line: 1, column: 1 }, message: `alias *${node.source} refers to itself or to nothing` });
        return { kind: "scalar", path, at, value: null };
      }
      active.add(target);
      const converted = this.convert(target, path, active);
      active.delete(target);
      return converted;
    }
    if (isMap(node)) {
      const entries: MapEntry[] = [];
      for (const pair of node.items) {
        const keyNode = this.keyOf(pair.key, path);
        const value = this.convert(pair.value ?? new Scalar(null), childPath(path, keyNode.value as string), active);
        // `key:` with nothing after it has no position of its own: the key's stands in.
        entries.push({ key: keyNode.value as string, keyNode, value: value.at === undefined ? { ...value, at: keyNode.at } : value });
      }
      return { kind: "map", path, at: this.at(node), entries };
    }
    if (isSeq(node)) {
      return { kind: "seq", path, at: this.at(node), items: node.items.map((item, i) => this.convert(item, childPath(path, i), active)) };
    }
    if (isScalar(node)) return { kind: "scalar", path, at: this.at(node), value: node.value, verbatimAt: this.verbatimAt(node) };
    return { kind: "scalar", path, at: undefined, value: null };
  }

  private keyOf(key: unknown, parentPath: string): ScalarNode {
    if (isScalar(key)) {
      const name = String(key.value);
      return { kind: "scalar", path: childPath(parentPath, name), at: this.at(key), value: name };
    }
    const node = key as YamlNode | null;
    const source = node?.range === undefined || node.range === null ? "?" : this.text.slice(node.range[0], node.range[1]).trim();
    return { kind: "scalar", path: childPath(parentPath, source), at: this.at(key), value: source };
  }

  private at(node: unknown): Position | undefined {
    const range = (node as YamlNode | null)?.range;
    return range === undefined || range === null ? undefined : this.positionOf(range[0]);
  }

  private verbatimAt(node: Scalar): Position | undefined {
    if (typeof node.value !== "string" || node.range === undefined || node.range === null) return undefined;
    const [start, end] = node.range;
    const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
    if (!quoted && node.type !== Scalar.PLAIN) return undefined;
    const first = quoted ? start + 1 : start;
    const raw = this.text.slice(first, quoted ? end - 1 : end);
    return raw === node.value && !raw.includes("\n") ? this.positionOf(first) : undefined;
  }
}
