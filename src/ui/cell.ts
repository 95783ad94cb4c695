/**
 * What the view model hands the renderer: text already fitted, plus a semantic tone. Colour is the
 * renderer's business (and is off for NO_COLOR or a pipe), so the model never holds escape codes and
 * every width it measures is the width the user sees.
 */
export type Tone = "plain" | "bold" | "dim" | "green" | "yellow" | "red" | "cyan" | "magenta";

export interface Cell {
  readonly text: string;
  readonly tone: Tone;
}

/** One screen line: cells printed one after another. */
export type Line = readonly Cell[];

export function cell(text: string, tone: Tone = "plain"): Cell {
  return { text, tone };
}

/**
 * Control characters (newlines, tabs, ESC of an escape sequence) in a job's name or tags would break
 * the table's lines or move the cursor; each becomes a visible `?`.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
}
