import cliSpinners from "cli-spinners";
import { formatDueIn } from "../timing/due-in.ts";
import type { Instant } from "../timing/time.ts";
import { cell, type Cell, type Line } from "./cell.ts";
import type { CounterSnapshot } from "./counters.ts";
import { fitLine, lineWidth } from "./line.ts";

const SPINNER = cliSpinners.dots;

/** The spinner's frame at `now`: derived from the clock rather than a frame counter, so any redraw rate shows the same motion. */
export function spinnerFrame(now: Instant): string {
  const frames = SPINNER.frames;
  return frames[Math.floor(now / SPINNER.interval) % frames.length] ?? "";
}

/** `3 ms`, `1.2 s`, then the Due in format (`0:05:00`, `2 days`) for the very late. */
export function formatLateness(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatDueIn(ms);
}

/**
 * `⠋ Orchestrating jobs  dispatched 12  running 1  succeeded 10  failed 1  late p99 3 ms`, the seed's
 * progress line with the counters. When narrow, the label goes first, then the line is cut.
 */
export function footerLine(counters: CounterSnapshot, now: Instant, width: number): Line {
  const figure = (label: string, value: number | string, tone: Cell["tone"]): Cell[] => [cell(`  ${label} `), cell(String(value), tone)];
  const figures: Cell[] = [
    ...figure("dispatched", counters.dispatched, "plain"),
    ...figure("running", counters.running, counters.running > 0 ? "cyan" : "plain"),
    ...figure("succeeded", counters.succeeded, counters.succeeded > 0 ? "green" : "plain"),
    ...figure("failed", counters.failed, counters.failed > 0 ? "red" : "plain"),
    ...figure("late p99", counters.lateP99 === null ? "—" : formatLateness(counters.lateP99), "plain"),
  ];
  const spinner = cell(spinnerFrame(now), "cyan");
  const full: Line = [spinner, cell(" Orchestrating jobs", "bold"), ...figures];
  if (lineWidth(full) <= width) return full;
  // Without the label the figures start right after the spinner.
  const [first, ...rest] = figures;
  const compact: Line = [spinner, ...(first === undefined ? [] : [cell(first.text.slice(1))]), ...rest];
  return fitLine(compact, width);
}
