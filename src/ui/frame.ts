import type { JobView } from "../jobs/view.ts";
import type { Instant } from "../timing/time.ts";
import { cell, type Cell, type Line } from "./cell.ts";
import { COLUMN_GAP, COLUMNS, type Column, type ColumnKey } from "./columns.ts";
import type { CounterSnapshot } from "./counters.ts";
import { footerLine } from "./footer.ts";
import { fitText, layoutColumns, textWidth, type PlacedColumn } from "./layout.ts";
import { fitLine } from "./line.ts";
import { jobRows, type JobRow } from "./rows.ts";

/** Everything one frame of the live table depends on. The caller reads the clock and the terminal. */
export interface FrameInput {
  readonly jobs: readonly JobView[];
  readonly counters: CounterSnapshot;
  readonly now: Instant;
  /** Terminal columns. */
  readonly width: number;
  /** Terminal rows the frame may take. */
  readonly height: number;
}

export interface Frame {
  readonly lines: readonly Line[];
  /** The columns shown, in order: what a narrow terminal dropped is what is missing. */
  readonly columns: readonly ColumnKey[];
  /** Jobs left out for lack of rows (the soonest due are shown). */
  readonly hidden: number;
}

/**
 * The live table as lines of cells: a header, one row per job in table order, and the "Orchestrating
 * jobs" line. It never takes more than `width` columns or `height` rows: a frame that wrapped or
 * scrolled could no longer be redrawn in place.
 */
export function buildFrame(input: FrameInput): Frame {
  const width = Math.max(1, input.width);
  const rows = jobRows(input.jobs, input.now);
  const placed = layoutColumns(COLUMNS, (column) => naturalWidth(column, rows), width);
  const footer = footerLine(input.counters, input.now, width);
  const columns = placed.map((p) => p.column.key);
  if (input.height < 2) return { lines: [footer], columns, hidden: rows.length };

  const room = input.height - 2;
  const shown = rows.length <= room ? rows.length : Math.max(0, room - 1);
  const hidden = rows.length - shown;
  const lines: Line[] = [tableLine(placed, (column) => cell(column.header, "bold"))];
  for (const row of rows.slice(0, shown)) lines.push(tableLine(placed, (column) => row.cells[column.key]));
  if (rows.length === 0) lines.push([cell("No jobs scheduled", "dim")]);
  if (hidden > 0) lines.push([cell(`… ${hidden} more job${hidden === 1 ? "" : "s"} (a taller terminal shows them)`, "dim")]);
  lines.push(footer);
  return { lines: lines.slice(-input.height).map((line) => fitLine(line, width)), columns, hidden };
}

function naturalWidth(column: Column, rows: readonly JobRow[]): number {
  let widest = Math.max(column.reserve, textWidth(column.header));
  for (const row of rows) widest = Math.max(widest, textWidth(row.cells[column.key].text));
  return widest;
}

/** The cells side by side, each fitted to its column; no trailing spaces, which a terminal that reflows on resize would wrap. */
function tableLine(placed: readonly PlacedColumn[], cellOf: (column: Column) => Cell): Line {
  const line: Cell[] = [];
  placed.forEach(({ column, width }, index) => {
    const source = cellOf(column);
    if (index > 0) line.push(cell(" ".repeat(COLUMN_GAP)));
    line.push({ text: fitText(source.text, width), tone: source.tone });
  });
  while (line.length > 0 && line.at(-1)?.text.trim() === "") line.pop();
  const tail = line.pop();
  if (tail !== undefined) line.push({ ...tail, text: tail.text.trimEnd() });
  return line;
}
