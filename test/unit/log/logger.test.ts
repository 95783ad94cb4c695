import { describe, expect, it } from "vitest";
import { eventLogger } from "../../../src/log/event-logger.ts";
import { createLogger } from "../../../src/log/logger.ts";

const NOW = Date.parse("2024-03-03T07:36:47Z");
const ESC = "\u001b";

function capture(format: "human" | "json", colors = false): { lines: string[]; log: ReturnType<typeof eventLogger> } {
  const lines: string[] = [];
  const logger = createLogger({ format, colors, write: (text) => lines.push(text) });
  return { lines, log: eventLogger(logger, () => NOW) };
}

describe("the structured logger", () => {
  it("json: one object per line, with the event's fields", () => {
    const { lines, log } = capture("json");
    log({ type: "dispatched", job: "j", dueAt: NOW, lateness: 7, occurrenceId: 3, catchUp: false });
    log({ type: "run-failed", job: "j", runId: 4, attempt: 1, error: "Error: boom", retryAt: null });
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.endsWith("\n") && !line.slice(0, -1).includes("\n")).toBe(true);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ level: 30, event: "dispatched", job: "j", dueAt: "2024-03-03T07:36:47.000Z", lateness: 7, msg: "Dispatched j, due 2024-03-03T07:36:47.000Z, 7 ms late" });
    expect(JSON.parse(lines[1] ?? "")).toMatchObject({ level: 50, event: "run-failed", error: "Error: boom" });
  });

  it("human: a timestamp, the level and the sentence, without the fields or colour", () => {
    const { lines, log } = capture("human");
    log({ type: "paused", job: "nightly" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: Paused job nightly\n$/);
  });

  it("human on a colour terminal colours the level", () => {
    const { lines, log } = capture("human", true);
    log({ type: "run-failed", job: "j", runId: 4, attempt: 1, error: "Error: boom", retryAt: null });
    expect(lines[0]).toContain(ESC);
    expect(lines[0]).toContain("Run 4 of j failed: Error: boom");
  });

  it("leaves debug events out at the default level", () => {
    const { lines, log } = capture("json");
    log({ type: "run-started", job: "j", runId: 1, attempt: 1 });
    expect(lines).toEqual([]);
  });
});
