/**
 * How messages repeat what the user wrote: control characters escaped, so a problem stays on its
 * line and a terminal shows what was there (a newline from a YAML `>` block, a tab), and long texts
 * cut, so a binary file or a runaway value is not dumped whole into the message.
 */

/** The most characters of the user's text a message repeats. */
export const ECHO_LIMIT = 80;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\t": "\\t", "\r": "\\r" };

/** Control characters (U+0000–U+001F, U+007F–U+009F) as escapes: `\n`, `\t`, `\r`, `\u0007`. */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => NAMED[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** At most `limit` characters (code points) of `text`, with "…" where it was cut. */
export function cut(text: string, limit = ECHO_LIMIT): string {
  if (text.length <= limit) return text;
  const points = Array.from(text);
  return points.length <= limit ? text : `${points.slice(0, limit).join("")}…`;
}

/** The user's text as a message repeats it inside its own quotes: cut, then escaped. */
export function echo(text: string, limit = ECHO_LIMIT): string {
  return escapeControls(cut(text, limit));
}

/** The user's text in double quotes, JSON style (`"yes"`, `"a\"b"`), cut and escaped. */
export function quoted(text: string, limit = ECHO_LIMIT): string {
  return escapeControls(JSON.stringify(cut(text, limit)));
}
