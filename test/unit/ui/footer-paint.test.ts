import { describe, expect, it } from "vitest";
import { cell } from "../../../src/ui/cell.ts";
import { footerLine, formatLateness, spinnerFrame } from "../../../src/ui/footer.ts";
import { colorsEnabled, painter } from "../../../src/ui/paint.ts";

const ESC = "\u001b";

describe("the Orchestrating jobs line", () => {
  const counters = { dispatched: 1234, running: 2, succeeded: 1200, failed: 30, lateP99: 1500 };

  it("has a spinner that moves with the clock, at any redraw rate", () => {
    expect(spinnerFrame(0)).not.toBe(spinnerFrame(80));
    expect(spinnerFrame(80)).toBe(spinnerFrame(81));
  });

  it("colours the counters by what they mean", () => {
    const tones = Object.fromEntries(footerLine(counters, 0, 200).map((part) => [part.text, part.tone]));
    expect(tones).toMatchObject({ " Orchestrating jobs": "bold", "2": "cyan", "1200": "green", "30": "red", "1.5 s": "plain" });
  });

  it("formats lateness for its size", () => {
    expect(formatLateness(3)).toBe("3 ms");
    expect(formatLateness(1_500)).toBe("1.5 s");
    expect(formatLateness(5 * 60_000)).toBe("0:05:00");
  });
});

describe("colours", () => {
  it("are off with NO_COLOR, on a pipe and for TERM=dumb; on for a terminal or FORCE_COLOR", () => {
    expect(colorsEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorsEnabled({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(colorsEnabled({ isTTY: true }, { NO_COLOR: "" })).toBe(true);
    expect(colorsEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorsEnabled({}, {})).toBe(false);
    expect(colorsEnabled({ isTTY: true }, { TERM: "dumb" })).toBe(false);
    expect(colorsEnabled({ isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
    expect(colorsEnabled({ isTTY: true }, { FORCE_COLOR: "1", NO_COLOR: "1" })).toBe(false);
  });

  it("paint a line with escape codes only when enabled", () => {
    const line = [cell("Running", "green"), cell("  "), cell("Paused", "yellow")];
    expect(painter(false)(line)).toBe("Running  Paused");
    const coloured = painter(true)(line);
    expect(coloured).toContain(`${ESC}[32mRunning`);
    expect(coloured).toContain(`${ESC}[33mPaused`);
  });
});
