import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  Scalar,
  type Alias,
  type Document,
  type Node as YamlNode,
  type YAMLError,
} from "yaml";
import { childPath, type MapEntry, type Position, type ScalarNode, type SourceNode } from "./tree.ts";
import { quoted } from "../errors/echo.ts";

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
 * Reads YAML — and so JSON, which is YAML — into a positioned tree (a leading byte-order mark is
 * skipped, and columns count from the character after it). YAML 1.2 core schema, so `yes` and `on`
 * stay strings (unlike YAML 1.1, which would read `enabled: yes` as true). Duplicate keys are
 * problems; any other syntax error stops here, since the structure after it cannot be trusted and
 * would produce misleading follow-up problems.
 */
export function parseYamlText(source: string): ParsedText {
  // A byte-order mark (Windows Notepad writes one) is not part of the text: editors show no column for it.
  const text = source.startsWith("\uFEFF") ? source.slice(1) : source;
  const lines = new LineCounter();
  const positionOf = (offset: number): Position => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, strict: true, uniqueKeys: true });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { root: undefined, problems: [{ at: { line: 1, column: 1 }, message: TOO_DEEP }], hasContent: true };
  }
  const problems = readerProblems([...doc.errors, ...doc.warnings], text, positionOf);
  const fatal = doc.errors.some((error) => error.code !== "DUPLICATE_KEY");
  if (fatal || doc.contents === null) return { root: undefined, problems, hasContent: doc.contents !== null };
  const converter = new Converter(doc, text, positionOf, problems);
  try {
    return { root: converter.convert(doc.contents, "", new Set()), problems, hasContent: true };
  } catch (error) {
    // Reported where it stopped: what was converted so far would only bring follow-up problems.
    if (error instanceof ConversionStopped) return { root: undefined, problems, hasContent: true };
    throw error;
  }
}

/**
 * More levels of lists and maps than anything in a schedule needs (args and kwargs hold at most 32):
 * deeper is refused before it can exhaust the stack of the reader or of the checks after it.
 */
export const MAX_DEPTH = 200;

/**
 * How many nodes aliases may produce in all. Each alias is a copy of its anchor's value, so aliases of
 * aliases grow exponentially (a "billion laughs": eight short lines make 10^8 nodes); a schedule that
 * shares its options through aliases stays far below.
 */
export const MAX_ALIAS_NODES = 100_000;

const TOO_DEEP = `nested too deeply: a schedule holds at most ${MAX_DEPTH} levels of lists and maps`;

/**
 * The YAML library's errors as problems. It fails with "Maximum call stack size exceeded" at each
 * place a file nests several hundred levels deep: one problem, at the first, says it.
 */
function readerProblems(errors: readonly YAMLError[], text: string, positionOf: (offset: number) => Position): TextProblem[] {
  const problems: TextProblem[] = [];
  let deep = false;
  for (const error of errors) {
    if (/call stack/i.test(error.message)) {
      if (!deep) problems.push({ at: positionOf(error.pos[0]), message: TOO_DEEP });
      deep = true;
    } else problems.push({ at: positionOf(error.pos[0]), message: describeYamlError(error, text) });
  }
  return problems;
}

/** `<<` written plain: a YAML 1.1 merge key. Quoted (`"<<"`, as JSON writes every key) it is a key like others. */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && key.type === Scalar.PLAIN && key.value === "<<";
}

/** A merged entry with the paths of the map it is merged into. */
function rebase(entry: MapEntry, parentPath: string): MapEntry {
  const keyPath = childPath(parentPath, entry.key);
  return { key: entry.key, keyNode: { ...entry.keyNode, path: keyPath }, value: withPath(entry.value, keyPath) };
}

function withPath(node: SourceNode, path: string): SourceNode {
  switch (node.kind) {
    case "scalar":
      return { ...node, path };
    case "seq":
      return { ...node, path, items: node.items.map((item, i) => withPath(item, childPath(path, i))) };
    case "map":
      return { ...node, path, entries: node.entries.map((entry) => rebase(entry, path)) };
  }
}

/** Thrown inside the Converter once a limit was reported: nothing after it is worth converting. */
class ConversionStopped extends Error {}

function describeYamlError(error: YAMLError, text: string): string {
  switch (error.code) {
    case "DUPLICATE_KEY":
      return `duplicate key ${quoted(keyText(text, error.pos[0]))}: each key may appear once in a map`;
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
  /** Nodes produced by expanding aliases so far, against MAX_ALIAS_NODES. */
  #aliasNodes = 0;
  /** The outermost alias being expanded: where a runaway expansion is reported. */
  #outerAlias: Alias | undefined;
  #depth = 0;

  constructor(
    private readonly doc: Document,
    private readonly text: string,
    private readonly positionOf: (offset: number) => Position,
    private readonly problems: TextProblem[],
  ) {}

  /** `active` holds the aliased nodes being expanded, so `&a [*a]` is reported, not followed forever. */
  convert(node: unknown, path: string, active: Set<unknown>): SourceNode {
    if (this.#depth >= MAX_DEPTH) this.#stop(node, TOO_DEEP);
    this.#depth++;
    try {
      return this.#convert(node, path, active);
    } finally {
      this.#depth--;
    }
  }

  #convert(node: unknown, path: string, active: Set<unknown>): SourceNode {
    if (this.#outerAlias !== undefined && ++this.#aliasNodes > MAX_ALIAS_NODES) {
      const alias = this.#outerAlias;
      this.#stop(
        alias,
        `alias *${alias.source} expands to more than ${MAX_ALIAS_NODES} values (aliases of aliases grow exponentially): write the values out`,
      );
    }
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (target === undefined || active.has(target)) {
        const at = this.at(node);
        this.problems.push({ at: at ?? { line: 1, column: 1 }, message: `alias *${node.source} refers to itself or to nothing` });
        return { kind: "scalar", path, at, value: null };
      }
      const outermost = this.#outerAlias === undefined;
      if (outermost) this.#outerAlias = node;
      active.add(target);
      const converted = this.convert(target, path, active);
      active.delete(target);
      if (outermost) this.#outerAlias = undefined;
      return converted;
    }
    if (isMap(node)) {
      const entries: MapEntry[] = [];
      const merged: MapEntry[] = [];
      for (const pair of node.items) {
        if (isMergeKey(pair.key)) {
          merged.push(...this.#mergedEntries(pair.key, pair.value, path, active));
          continue;
        }
        const keyNode = this.keyOf(pair.key, path);
        const value = this.convert(pair.value ?? new Scalar(null), childPath(path, keyNode.value as string), active);
        // `key:` with nothing after it has no position of its own: the key's stands in.
        entries.push({ key: keyNode.value as string, keyNode, value: value.at === undefined ? { ...value, at: keyNode.at } : value });
      }
      // YAML 1.1 merge keys: the map's own keys win, then the first merged map that has the key.
      for (const entry of merged) if (!entries.some((own) => own.key === entry.key)) entries.push(entry);
      return { kind: "map", path, at: this.at(node), entries };
    }
    if (isSeq(node)) {
      return { kind: "seq", path, at: this.at(node), items: node.items.map((item, i) => this.convert(item, childPath(path, i), active)) };
    }
    if (isScalar(node)) return { kind: "scalar", path, at: this.at(node), value: node.value, verbatimAt: this.verbatimAt(node) };
    return { kind: "scalar", path, at: undefined, value: null };
  }

  /**
   * The entries a merge key (`<<: *defaults`, `<<: [*a, *b]`) brings, as written at their anchors, so
   * a problem in them points there. Their paths are the merging map's.
   */
  #mergedEntries(key: unknown, value: unknown, path: string, active: Set<unknown>): MapEntry[] {
    const sources = isSeq(value) ? value.items : [value];
    const entries: MapEntry[] = [];
    for (const source of sources) {
      const converted = this.convert(source ?? new Scalar(null), path, active);
      if (converted.kind !== "map") {
        const at = converted.at ?? this.at(key) ?? { line: 1, column: 1 };
        this.problems.push({ at, message: "a merge key (<<) takes a map or a list of maps, such as *defaults or [*a, *b]" });
        continue;
      }
      for (const entry of converted.entries) {
        if (entries.some((earlier) => earlier.key === entry.key)) continue;
        entries.push(rebase(entry, path));
      }
    }
    return entries;
  }

  /** Reports `message` at `node` (the file's start when it has no position) and stops converting. */
  #stop(node: unknown, message: string): never {
    this.problems.push({ at: this.at(node) ?? { line: 1, column: 1 }, message });
    throw new ConversionStopped(message);
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
