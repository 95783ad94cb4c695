import { cut, ECHO_LIMIT, escapeControls } from "./echo.ts";
import { ErrorCode } from "./error-code.ts";
import { OrchestraError } from "./orchestra-error.ts";

export interface TimingErrorDetails {
  /** The whole expression as the user wrote it. */
  readonly expression: string;
  /** 1-based column of the offending word. */
  readonly column: number;
  /** The offending word (may be empty when the expression ends too early). */
  readonly word: string;
  /** What is wrong, without the position: `unknown word "Mondey"`, `hour 25 is out of range (0–23)`. */
  readonly reason: string;
  /** A close valid word, when there is one: the message ends with `did you mean "…"?`. */
  readonly suggestion?: string | undefined;
  /** How to say it instead, when the reason alone does not tell (the readings of an ambiguous phrase). */
  readonly hint?: string | undefined;
  /** The reason is about the expression as a whole (a date in the past): the message names no column. */
  readonly wholeExpression?: boolean | undefined;
}

/**
 * A timing expression that cannot be understood. The message names the position, the word and,
 * when one is close, a suggestion: `unknown word "Mondey" at column 7; did you mean "Monday"?`.
 */
export class TimingError extends OrchestraError {
  readonly expression: string;
  readonly column: number;
  readonly word: string;
  readonly reason: string;
  readonly suggestion: string | undefined;

  constructor(details: TimingErrorDetails) {
    super(ErrorCode.Timing, formatTimingMessage(details));
    this.expression = details.expression;
    this.column = details.column;
    this.word = details.word;
    this.reason = escapeControls(details.reason);
    this.suggestion = details.suggestion;
  }

  /**
   * The expression with a caret line under the offending word, for terminals. Control characters show
   * escaped (`\n`, `\t`) with the caret still under the word; a long expression shows the part around it.
   */
  pointer(): string {
    const start = this.column - 1;
    let before = escapeControls(this.expression.slice(0, start));
    const word = escapeControls(this.word);
    let after = escapeControls(this.expression.slice(start + this.word.length));
    if (before.length > ECHO_LIMIT / 2) before = `…${before.slice(before.length - ECHO_LIMIT / 2)}`;
    const room = Math.max(0, ECHO_LIMIT - before.length - word.length);
    if (after.length > room) after = `${after.slice(0, room)}…`;
    const shownWord = cut(word, ECHO_LIMIT);
    const width = Math.max(1, Math.min(shownWord.length, ECHO_LIMIT));
    return `${before}${shownWord}${shownWord === word ? after : ""}\n${" ".repeat(before.length)}${"^".repeat(width)}`;
  }
}

function formatTimingMessage(d: TimingErrorDetails): string {
  const suggestion = d.suggestion === undefined ? "" : `; did you mean "${d.suggestion}"?`;
  const hint = d.hint === undefined ? "" : `; ${d.hint}`;
  // The parts repeat the user's words: a control character among them shows escaped.
  const where = d.wholeExpression === true ? "" : ` at column ${d.column}`;
  return escapeControls(`${d.reason}${where}${suggestion}${hint}`);
}
