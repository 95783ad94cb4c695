import cliTruncate from "cli-truncate";
import stringWidth from "string-width";
import { COLUMN_GAP, type Column } from "./columns.ts";

/** A column kept on screen, and how many terminal cells wide it is. */
export interface PlacedColumn {
  readonly column: Column;
  readonly width: number;
}

/**
 * Which columns fit in `width` terminal cells and how wide each is. `natural(column)` is the width the
 * column wants (its widest cell or header). Columns keep their natural width when all fit; otherwise
 * the squeezable ones give up width in squeeze order, each down to its minimum before the next; when
 * that is not enough the next column in drop order goes and the layout starts again from natural widths.
 * If only the columns that are never dropped are left and they still do not fit, they are squeezed
 * below their minimum (a line is never wider than `width`; fitLine cuts anything left over).
 */
export function layoutColumns(columns: readonly Column[], natural: (column: Column) => number, width: number): PlacedColumn[] {
  const dropQueue = columns
    .filter((column) => column.dropOrder !== null)
    .sort((a, b) => (a.dropOrder ?? 0) - (b.dropOrder ?? 0));
  let kept = [...columns];
  for (;;) {
    const widths = squeeze(kept, natural, width, (column) => column.min);
    if (widths !== null) return place(kept, widths);
    const next = dropQueue.shift();
    if (next === undefined) break;
    kept = kept.filter((column) => column !== next);
  }
  const last = squeeze(kept, natural, width, (column) => (column.min === null ? null : 1));
  return place(kept, last ?? kept.map((column) => natural(column)));
}

/** Natural widths, reduced in squeeze order until the columns and their gaps fit; null when the minimums do not. */
function squeeze(columns: readonly Column[], natural: (column: Column) => number, width: number, minOf: (column: Column) => number | null): number[] | null {
  const widths = columns.map((column) => natural(column));
  let excess = widths.reduce((sum, w) => sum + w, 0) + COLUMN_GAP * Math.max(0, columns.length - 1) - width;
  const order = columns
    .map((column, index) => ({ column, index }))
    .filter(({ column }) => minOf(column) !== null)
    .sort((a, b) => a.column.squeezeOrder - b.column.squeezeOrder);
  for (const { column, index } of order) {
    if (excess <= 0) break;
    const current = widths[index] ?? 0;
    const give = Math.min(excess, Math.max(0, current - (minOf(column) ?? current)));
    widths[index] = current - give;
    excess -= give;
  }
  return excess > 0 ? null : widths;
}

function place(columns: readonly Column[], widths: readonly number[]): PlacedColumn[] {
  return columns.map((column, index) => ({ column, width: widths[index] ?? 0 }));
}

/** Widths of the non-ASCII texts measured lately: a frame measures the same cells as the one before. */
const measured = new Map<string, number>();
const MEASURED_MAX = 4096;

/**
 * Terminal cells the text takes: wide (CJK, emoji) characters count two, combining marks none.
 * Printable ASCII, nearly every cell, is one cell per character, and other texts are remembered:
 * string-width's grapheme segmentation would otherwise be most of the cost of a frame.
 */
export function textWidth(text: string): number {
  if (isPlainAscii(text)) return text.length;
  let width = measured.get(text);
  if (width === undefined) {
    if (measured.size >= MEASURED_MAX) measured.clear();
    width = stringWidth(text);
    measured.set(text, width);
  }
  return width;
}

function isPlainAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

/** The text cut to `width` cells with a trailing `…` when longer, padded with spaces when shorter. */
export function fitText(text: string, width: number): string {
  if (width <= 0) return "";
  const fitted = textWidth(text) <= width ? text : isPlainAscii(text) ? `${text.slice(0, width - 1)}…` : cliTruncate(text, width, { position: "end" });
  return fitted + " ".repeat(Math.max(0, width - textWidth(fitted)));
}
