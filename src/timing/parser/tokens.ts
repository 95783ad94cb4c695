import { TimingError } from "../../errors/timing-error.ts";
import { echo } from "../../errors/echo.ts";

export type TokenKind = "word" | "number" | "ordinal" | "clock" | "date" | "datetime";

/** A piece of a timing phrase with its place in the expression. */
export interface Token {
  readonly kind: TokenKind;
  /** As written. */
  readonly text: string;
  /** Lowercased, for matching. */
  readonly lower: string;
  /** 1-based column of the first character. */
  readonly column: number;
  /** A comma stands between this token and the one before: a list separator, like "and". */
  readonly afterComma: boolean;
}

// Order matters: the longest, most specific shapes first.
const SHAPES: readonly (readonly [TokenKind, RegExp])[] = [
  // Any number of year digits, so `99999-01-01` is a date whose year is refused, not an hour.
  ["datetime", /\d+-\d{1,2}-\d{1,2}T\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?(?![\w:])/iy],
  ["date", /\d+-\d{1,2}-\d{1,2}(?![\w:-])/y],
  // A clock may be followed by am/pm without a space (`5:30pm`); anything else glued on is refused.
  ["clock", /\d+:\d+(?::\d+)?(?=$|[^\w:]|[ap]m\b)/iy],
  ["ordinal", /\d+(?:st|nd|rd|th)(?![a-z])/iy],
  ["number", /-?\d+/y],
  ["word", /[a-z]+/iy],
];

/**
 * Splits a phrase into words, numbers, clock readings (`9:15`, `48:00:00`), dates and ISO date-times.
 * Commas are separators like spaces: `once on Thursday, 00:31:41`, `every Mon, Wed, Fri at 7:00`.
 */
export function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  let afterComma = false;
  while (index < expression.length) {
    const char = expression.charAt(index);
    if (/[\s,]/.test(char)) {
      if (char === ",") afterComma = true;
      index++;
      continue;
    }
    refuseGluedClock(expression, index);
    const token = readToken(expression, index, afterComma);
    if (token === null) {
      throw new TimingError({
        expression,
        column: index + 1,
        word: char,
        reason: `unexpected character "${char}"`,
      });
    }
    tokens.push(token);
    afterComma = false;
    index += token.text.length;
  }
  return tokens;
}

/** A clock with letters glued on (`9:15abc`): name the letters, not the ":" the number token stops at. */
const GLUED_CLOCK = /(\d+:\d+(?::\d+)?)([a-z_]\w*)/iy;

function refuseGluedClock(expression: string, index: number): void {
  GLUED_CLOCK.lastIndex = index;
  const match = GLUED_CLOCK.exec(expression);
  if (match === null) return;
  const [, clock = "", glued = ""] = match;
  if (/^[ap]m$/i.test(glued)) return; // 5:30pm is a clock
  throw new TimingError({
    expression,
    column: index + clock.length + 1,
    word: glued,
    reason: `"${echo(glued)}" is glued to the time ${echo(clock)}; separate them with a space, or remove it`,
  });
}

function readToken(expression: string, index: number, afterComma: boolean): Token | null {
  for (const [kind, shape] of SHAPES) {
    shape.lastIndex = index;
    const match = shape.exec(expression);
    if (match !== null) {
      const text = match[0];
      return { kind, text, lower: text.toLowerCase(), column: index + 1, afterComma };
    }
  }
  return null;
}
