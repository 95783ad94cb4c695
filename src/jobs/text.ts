/**
 * What the text values of a job may hold, wherever it is declared. A name, module, task, queue, zone
 * or tag is shown in tables and logs and used as a key: no control characters (and PostgreSQL text
 * cannot hold U+0000 at all). A tag must also survive the API's `tags=a,b` filters, which split at
 * commas and trim each tag.
 */

/** The control characters (Unicode Cc), as a regular expression's character range. */
const CONTROL = "\\u0000-\\u001f\\u007f-\\u009f";

/** Not blank, no control characters: JSON Schema's pattern (the REST API's) and the files' rule. */
export const PRINTABLE_PATTERN = `^[^${CONTROL}]*[^\\s${CONTROL}][^${CONTROL}]*$`;

/** A printable text without commas that neither starts nor ends with white space. */
export const TAG_PATTERN = `^[^\\s,${CONTROL}](?:[^,${CONTROL}]*[^\\s,${CONTROL}])?$`;

/** Longest texts, in characters. */
export const MAX_LENGTH = {
  name: 200,
  module: 1000,
  task: 200,
  timing: 200,
  timezone: 100,
  queue: 200,
  tag: 100,
} as const;

const CONTROL_CHARACTER = new RegExp(`[${CONTROL}]`);

/** `U+0001 at character 2` for the first control character of `text`, or undefined when it has none. */
export function controlCharacterIn(text: string): string | undefined {
  const match = CONTROL_CHARACTER.exec(text);
  if (match === null) return undefined;
  const code = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
  return `U+${code} at character ${match.index + 1}`;
}

/** Why a tag could never be selected by a `tags=` filter, or undefined when it can. */
export function tagProblem(tag: string): string | undefined {
  if (tag.includes(",")) return "must not hold a comma: tags=a,b filters split at commas, so none could select it";
  if (tag.trim() !== tag) return "must not start or end with white space: tags= filters trim it, so none could select it";
  return undefined;
}
