import ansiEscapes from "ansi-escapes";
import cliCursor from "cli-cursor";
import { createLogUpdate } from "log-update";
import type { WriteStream } from "node:tty";
import type { JobView } from "../jobs/view.ts";
import type { Instant } from "../timing/time.ts";
import type { CounterSnapshot } from "./counters.ts";
import { buildFrame } from "./frame.ts";
import { lineWidth } from "./line.ts";
import { painter } from "./paint.ts";

/** What the table shows; read at each redraw. */
export interface TableState {
  readonly jobs: readonly JobView[];
  readonly counters: CounterSnapshot;
}

export interface LiveTableOptions {
  /** A terminal (isTTY): the table is redrawn in place, which a pipe or a file cannot do. */
  readonly stream: WriteStream;
  readonly colors: boolean;
  readonly state: () => TableState;
  /** A frame that could not be drawn; the scheduler goes on, and so do the next frames. */
  readonly onError: (error: unknown) => void;
  readonly now?: () => Instant;
  /** Time between redraws; 100 ms = at most 10 a second, smooth for the spinner and cheap for the terminal. */
  readonly frameIntervalMs?: number;
}

/**
 * The thin renderer of the live table: at most one redraw per frame interval, through log-update (which
 * erases the previous frame and writes the new one in one write, so there is no blank moment to
 * flicker), with log lines printed above it; log lines wait for the next redraw, so a burst of them
 * costs one redraw. The frame itself comes from the pure view model (frame.ts).
 *
 * The cursor is hidden while the table is up and shown again on stop() — also on process exit,
 * whatever the reason (a second Ctrl-C, an uncaught error), so no terminal is left without a cursor or
 * with half a frame.
 */
export class LiveTable {
  readonly #stream: WriteStream;
  readonly #state: () => TableState;
  readonly #onError: (error: unknown) => void;
  readonly #now: () => Instant;
  readonly #intervalMs: number;
  readonly #paint: ReturnType<typeof painter>;
  #log: ReturnType<typeof createLogUpdate>;
  #timer: NodeJS.Timeout | null = null;
  #pending: string[] = [];
  /** Width of each line of the frame on screen, and the terminal width it was drawn for. */
  #drawn: { lineWidths: readonly number[]; width: number } | null = null;
  readonly #onExit = (): void => {
    this.stop();
  };

  constructor(options: LiveTableOptions) {
    this.#stream = options.stream;
    this.#state = options.state;
    this.#onError = options.onError;
    this.#now = options.now ?? Date.now;
    this.#intervalMs = options.frameIntervalMs ?? 100;
    this.#paint = painter(options.colors);
    this.#log = logUpdateOn(this.#stream);
  }

  get active(): boolean {
    return this.#timer !== null;
  }

  start(): void {
    if (this.#timer !== null) return;
    cliCursor.hide(this.#stream);
    process.once("exit", this.#onExit);
    this.#timer = setInterval(() => {
      this.#safeDraw();
    }, this.#intervalMs);
    this.#timer.unref();
    this.#safeDraw();
  }

  /** Text (whole lines) to print above the table; it goes out with the next redraw, or at once when the table is not up. */
  print(text: string): void {
    if (this.#timer === null) this.#stream.write(text);
    else this.#pending.push(text);
  }

  /** Erases the table, prints what is pending and shows the cursor again; the terminal is as before start(). */
  stop(): void {
    if (this.#timer === null) return;
    clearInterval(this.#timer);
    this.#timer = null;
    process.off("exit", this.#onExit);
    this.#log.clear();
    this.#flush();
    this.#drawn = null;
    cliCursor.show(this.#stream);
  }

  /** A timer callback that threw would end the process, scheduler and all, for the sake of a picture. */
  #safeDraw(): void {
    try {
      this.#draw();
    } catch (error) {
      this.#onError(error);
    }
  }

  #draw(): void {
    const { columns: width, rows: height } = sized(this.#stream);
    // One row less than the terminal: log-update ends the frame with a newline.
    const frame = buildFrame({ ...this.#state(), now: this.#now(), width, height: height - 1 });
    // Erasing the old frame, printing the log and drawing the new frame are several writes; terminals
    // that know synchronized output (DEC mode 2026) show only the result, and the others ignore it.
    this.#stream.write(ansiEscapes.beginSynchronizedOutput);
    if (this.#drawn !== null && this.#drawn.width !== width) this.#eraseResized(width);
    if (this.#pending.length > 0) {
      this.#log.clear();
      this.#flush();
    }
    this.#log(frame.lines.map(this.#paint).join("\n"));
    this.#stream.write(ansiEscapes.endSynchronizedOutput);
    this.#drawn = { lineWidths: frame.lines.map(lineWidth), width };
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    this.#stream.write(this.#pending.join(""));
    this.#pending = [];
  }

  /**
   * After a resize, most terminals (VTE, iTerm2, Windows Terminal, xterm.js, tmux) re-wrap the lines on
   * screen, so the previous frame may now take more rows than it has lines: erase that many, then draw
   * afresh. log-update alone would erase one row per line and leave the rest behind as garbage.
   */
  #eraseResized(width: number): void {
    const rows = (this.#drawn?.lineWidths ?? []).reduce((sum, w) => sum + Math.max(1, Math.ceil(w / width)), 0);
    // +1: the row under the frame, where the cursor waits.
    this.#stream.write(ansiEscapes.eraseLines(rows + 1));
    this.#log = logUpdateOn(this.#stream);
  }
}

/** log-update on the terminal as `sized` reports it. */
function logUpdateOn(stream: WriteStream): ReturnType<typeof createLogUpdate> {
  // log-update (6.1, pinned) uses only `write`, `columns` and `rows` of its stream (read in its source);
  // its type asks for a whole Writable, which a view of three members is not.
  return createLogUpdate(sized(stream) as unknown as NodeJS.WritableStream, { showCursor: true });
}

/**
 * The terminal with a size: one that reports none (0 × 0: a pseudo-terminal opened without a size, as
 * `script`, some `docker exec` and CI consoles do) counts as 80 × 24. log-update reads the size itself
 * and would cut every line of the frame away (it keeps the last `rows` lines), leaving only the log.
 */
function sized(stream: WriteStream): { readonly columns: number; readonly rows: number; write: (text: string) => boolean } {
  return {
    get columns() {
      return stream.columns > 0 ? stream.columns : 80;
    },
    get rows() {
      return stream.rows > 0 ? stream.rows : 24;
    },
    write: (text) => stream.write(text),
  };
}
