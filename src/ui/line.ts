import type { Line } from "./cell.ts";
import { fitText, textWidth } from "./layout.ts";

export function lineWidth(line: Line): number {
  return line.reduce((sum, part) => sum + textWidth(part.text), 0);
}

/**
 * The line cut to `width` cells, ending in `…` when something was cut: the last guard against a line
 * the terminal would wrap (a wrapped line breaks in-place redrawing, which counts one row per line).
 */
export function fitLine(line: Line, width: number): Line {
  if (lineWidth(line) <= width) return line;
  const fitted: Line[number][] = [];
  let left = width;
  for (const part of line) {
    const w = textWidth(part.text);
    if (w < left) {
      fitted.push(part);
      left -= w;
      continue;
    }
    // This part reaches the edge: it takes what is left, with the ellipsis (fitText pads a wide
    // character that did not fit with a space, which is trimmed here).
    if (left > 0) fitted.push({ ...part, text: fitText(part.text, left).trimEnd() });
    break;
  }
  return fitted;
}
