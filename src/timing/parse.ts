import { TimingError } from "../errors/timing-error.ts";
import { compile } from "./compile.ts";
import { looksLikeCron, parseCron } from "./parser/cron.ts";
import { parsePhrase } from "./parser/phrase.ts";
import type { TimingSpec } from "./spec.ts";
import type { Trigger } from "./trigger.ts";
import { zoneFor } from "./zone.ts";

/**
 * Parses a timing expression — a phrase of `timing.md` or a cron pattern — in an IANA zone.
 * Throws a TimingError (where, what, did-you-mean) or a TimezoneError; never guesses.
 *
 * @example
 * parseTiming("every day at 9:00 and 17:30", "Europe/Berlin").kind; // "DAILY"
 * parseTiming("*\/15 9-17 * * 1-5", "America/New_York").kind;      // "CRON"
 */
export function parseTiming(expression: string, timezone = "UTC"): Trigger {
  const zone = zoneFor(timezone);
  if (expression.trim() === "") {
    throw new TimingError({ expression, column: 1, word: "", reason: "the timing expression is empty" });
  }
  if (looksLikeCron(expression)) {
    const rule = parseCron(expression);
    return compile({ kind: "CRON", pattern: rule.pattern }, expression, zone, rule);
  }
  return compile(parsePhrase(expression), expression, zone);
}

/** The parsed form of an expression, without a zone: for tools that inspect or store it. */
export function parseTimingSpec(expression: string): TimingSpec {
  return looksLikeCron(expression) ? { kind: "CRON", pattern: parseCron(expression).pattern } : parsePhrase(expression);
}
