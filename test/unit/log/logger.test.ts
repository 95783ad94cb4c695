import { describe, expect, it } from "vitest";
import { eventLogger } from "../../../src/log/event-logger.ts";
import { humanLineFormatter } from "../../../src/log/human-line.ts";
import { createLogger } from "../../../src/log/logger.ts";
import type { LogLevel } from "../../../src/log/records.ts";

const NOW = Date.parse("2024-03-03T07:36:47Z");
const ESC = "\u001b";

function capture(format: "human" | "json", colors = false, level?: LogLevel): { lines: string[]; log: ReturnType<typeof eventLogger> } {
  const lines: string[] = [];
  const logger = createLogger({ format, colors, write: (text) => lines.push(text), ...(level === undefined ? {} : { level }) });
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

  it("at debug shows each run's start; at warn only problems (no line per dispatch or per run)", () => {
    const debug = capture("json", false, "debug");
    debug.log({ type: "run-started", job: "j", runId: 1, attempt: 1 });
    expect(debug.lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(["Run 1 of j started (attempt 1)"]);
    const warn = capture("json", false, "warn");
    warn.log({ type: "dispatched", job: "j", dueAt: NOW, lateness: 7, occurrenceId: 3, catchUp: false });
    warn.log({ type: "run-succeeded", job: "j", runId: 1, durationMs: 2 });
    warn.log({ type: "paused", job: "j" });
    warn.log({ type: "run-failed", job: "j", runId: 2, attempt: 1, error: "Error: boom", retryAt: NOW + 1000 });
    warn.log({ type: "run-failed", job: "j", runId: 3, attempt: 2, error: "Error: boom", retryAt: null });
    expect(warn.lines.map((line) => (JSON.parse(line) as { level: number }).level)).toEqual([40, 50]);
  });

  it("logs a failure that repeats once per 10 s, then says how many like it were left out; other lines are never left out", () => {
    const lines: string[] = [];
    let now = NOW;
    const log = eventLogger(createLogger({ format: "json", colors: false, write: (text) => lines.push(text) }), () => now);
    const away = new Error("the PostgreSQL store postgresql://db/x is unreachable: connect ECONNREFUSED 10.0.0.5:5432");
    for (let k = 0; k < 12; k++) {
      log({ type: "error", error: away });
      log({ type: "worker-error", error: new Error("Redis is away") });
      log({ type: "run-failed", job: "j", runId: k, attempt: 2, error: "Error: boom", retryAt: null });
      now += 1_000;
    }
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; leftOut?: number });
    expect(logged.filter((line) => line.msg.startsWith("Run "))).toHaveLength(12);
    expect(logged.filter((line) => !line.msg.startsWith("Run ")).map((line) => [line.msg, line.leftOut])).toEqual([
      [`Error: ${away.message}`, undefined],
      ["Error: Redis is away", undefined],
      [`Error: ${away.message} (9 more like it in the last 10 s)`, 9],
      ["Error: Redis is away (9 more like it in the last 10 s)", 9],
    ]);
  });

  it("when what failed answers again, the failures left out are told at once, then that it is back", () => {
    const lines: string[] = [];
    let now = NOW;
    const log = eventLogger(createLogger({ format: "json", colors: false, write: (text) => lines.push(text) }), () => now);
    for (let k = 0; k < 4; k++) {
      log({ type: "error", error: new Error("Redis at redis://r:6379/0 did not answer within 10000 ms") });
      now += 1_000;
    }
    log({ type: "recovered", what: "Redis at redis://r:6379/0" });
    log({ type: "error", error: new Error("Redis at redis://r:6379/0 did not answer within 10000 ms") }); // a new outage: told at once
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([
      "Error: Redis at redis://r:6379/0 did not answer within 10000 ms",
      "Error: Redis at redis://r:6379/0 did not answer within 10000 ms (3 more like it in the last 4 s)",
      "Redis at redis://r:6379/0 answers again",
      "Error: Redis at redis://r:6379/0 did not answer within 10000 ms",
    ]);
  });

  it("human lines carry the local time, two digits each, and the level's name", () => {
    const line = humanLineFormatter(false);
    expect(line(30, "Paused job x", new Date(2024, 0, 1, 3, 4, 5))).toBe("[03:04:05] INFO: Paused job x\n");
    expect(line(20, "Run 1 of j started (attempt 1)", new Date(2024, 0, 1, 23, 59, 9))).toBe("[23:59:09] DEBUG: Run 1 of j started (attempt 1)\n");
    expect(line(50, "boom", new Date(2024, 0, 1, 12, 0, 0))).toBe("[12:00:00] ERROR: boom\n");
    expect(humanLineFormatter(true)(40, "late", new Date(2024, 0, 1, 12, 0, 0))).toBe("[12:00:00] \u001b[33mWARN\u001b[39m: \u001b[36mlate\u001b[39m\n");
  });
});
