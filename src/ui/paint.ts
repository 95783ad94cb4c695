import { createColors } from "picocolors";
import type { Line, Tone } from "./cell.ts";

/**
 * Whether to colour: never when NO_COLOR is set (no-color.org) or TERM is dumb; always when
 * FORCE_COLOR asks for it; otherwise only on a terminal, since a pipe or a file gets plain text.
 */
export function colorsEnabled(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "" && force !== "0" && force !== "false") return true;
  return stream.isTTY === true && env.TERM !== "dumb";
}

/** Turns lines of cells into the text written to the terminal; colours through picocolors, or none. */
export function painter(enabled: boolean): (line: Line) => string {
  const colors = createColors(enabled);
  const styles: Readonly<Record<Tone, (text: string) => string>> = {
    plain: (text) => text,
    bold: colors.bold,
    dim: colors.dim,
    green: colors.green,
    yellow: colors.yellow,
    red: colors.red,
    cyan: colors.cyan,
    magenta: colors.magenta,
  };
  return (line) => line.map((part) => (part.text === "" ? "" : styles[part.tone](part.text))).join("");
}
