import { TimingError } from "../../errors/timing-error.ts";
import { echo } from "../../errors/echo.ts";
import { CronRule } from "../rules/cron.ts";

const CRON_FIELD = /^[\d*?,/\-#LW]+$|^[A-Za-z]{3}(?:[-,][A-Za-z0-9]{1,3})*$/;
const FIRST_FIELD = /^[\d*?,/-]+$/;
const NICKNAMES = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);
const FIELD_NAMES = ["second", "minute", "hour", "day of month", "month", "day of week"];

/** Whether an expression is a cron pattern (5 or 6 fields, or a nickname) rather than a phrase. */
export function looksLikeCron(expression: string): boolean {
  const trimmed = expression.trim();
  if (trimmed.startsWith("@")) return true;
  const fields = trimmed.split(/\s+/);
  return (
    fields.length >= 5 &&
    fields.length <= 7 &&
    FIRST_FIELD.test(fields[0] ?? "") &&
    fields.every((field) => CRON_FIELD.test(field))
  );
}

/** Builds the rule of a cron pattern, or a TimingError naming the field croner refused. */
export function parseCron(expression: string): CronRule {
  const trimmed = expression.trim();
  const fields = trimmed.split(/\s+/);
  const leading = expression.length - expression.trimStart().length;
  if (trimmed.startsWith("@") && !NICKNAMES.has(trimmed.toLowerCase())) {
    throw new TimingError({
      expression,
      column: leading + 1,
      word: trimmed,
      reason: `unknown cron nickname "${echo(trimmed)}"`,
      suggestion: undefined,
    });
  }
  if (!trimmed.startsWith("@") && fields.length === 7) {
    throw new TimingError({
      expression,
      column: leading + 1,
      word: trimmed,
      reason: "a cron pattern has 5 fields, or 6 with seconds first; a year field is not supported",
    });
  }
  try {
    return new CronRule(trimmed);
  } catch (error) {
    throw fieldError(expression, fields, leading, error);
  }
}

/** Finds which field croner refused by trying each alone among wildcards. */
function fieldError(expression: string, fields: string[], leading: number, error: unknown): TimingError {
  const names = fields.length === 6 ? FIELD_NAMES : FIELD_NAMES.slice(1);
  const cause = error instanceof Error ? error.message.replace(/^CronPattern:\s*/, "") : String(error);
  let column = leading + 1;
  for (const [index, field] of fields.entries()) {
    const probe = fields.map((other, i) => (i === index ? other : "*")).join(" ");
    try {
      new CronRule(probe);
    } catch {
      return new TimingError({
        expression,
        column,
        word: field,
        reason: `invalid cron ${names[index] ?? "field"} "${echo(field)}" (${cause})`,
      });
    }
    column = expression.indexOf(fields[index + 1] ?? "", column - 1 + field.length) + 1;
  }
  return new TimingError({ expression, column: leading + 1, word: expression.trim(), reason: `invalid cron pattern (${cause})` });
}
