import type { ScheduleProblem } from "../errors/schedule-validation-error.ts";
import type { Instant } from "../timing/time.ts";
import type { Position } from "./tree.ts";

/** Anything that can be pointed at: a node of the tree. */
export interface Located {
  readonly path: string;
  readonly at: Position | undefined;
}

/**
 * Collects the problems of one file (or one list of definitions) into a list shared by every source
 * of a load, so they can all be reported at once.
 */
export class ProblemLog {
  /** Problems added through this log: a reader compares it before and after to know if it found any. */
  count = 0;

  constructor(
    readonly file: string,
    private readonly sink: ScheduleProblem[],
    private readonly warnings: ScheduleProblem[] = [],
    /** What past dates are judged against: the time of the load. */
    readonly now: Instant = Date.now(),
  ) {}

  /** Something that is valid but surely not meant (a ONCE date in the past): told, not refused. */
  warn(where: Located, message: string, at: Position | undefined = where.at): void {
    this.warnings.push({ file: this.file, line: at?.line ?? 0, column: at?.column ?? 0, path: where.path, message });
  }

  /** Positions and messages added, so a problem at a place an alias repeats is reported once. */
  readonly #seen = new Set<string>();

  /**
   * A problem at `where`; `at` overrides the position (a word inside a scalar). The same message at the
   * same place of the text (a value an alias or merge key uses twice) is listed once, yet counted.
   */
  add(where: Located, message: string, at: Position | undefined = where.at): void {
    this.count++;
    if (at !== undefined) {
      const key = `${at.line}:${at.column}:${message}`;
      if (this.#seen.has(key)) return;
      this.#seen.add(key);
    }
    this.sink.push({ file: this.file, line: at?.line ?? 0, column: at?.column ?? 0, path: where.path, message });
  }

  /** A problem about the file as a whole (unreadable, empty). */
  addFileProblem(message: string): void {
    this.sink.push({ file: this.file, line: 0, column: 0, path: "", message });
    this.count++;
  }

  /** How to refer to a node from another problem's message: `line 12`, or its path for code. */
  describe(where: Located, from: ProblemLog): string {
    const place = where.at === undefined ? where.path : `line ${where.at.line}`;
    return from.file === this.file ? place : `${this.file}${where.at === undefined ? ` ${place}` : `:${where.at.line}`}`;
  }
}
