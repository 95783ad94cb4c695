import { describe, expect, it } from "vitest";
import { FREQUENT_EVENT_LEVELS, logRecordOf } from "../../../src/log/records.ts";

const NOW = Date.parse("2024-03-03T07:36:47Z");

describe("what each event says in the log", () => {
  it("scheduled, paused and resumed in the seed's words", () => {
    expect(logRecordOf({ type: "scheduled", job: "every_48h", nextDue: NOW + 2 * 86_400_000 }, NOW)).toEqual({
      level: "info",
      msg: "Job every_48h was scheduled to run in 2 days (2024-03-05T07:36:47.000Z)",
      fields: { event: "scheduled", job: "every_48h", nextDue: "2024-03-05T07:36:47.000Z" },
    });
    expect(logRecordOf({ type: "scheduled", job: "soon", nextDue: NOW + 31 * 60_000 + 12_000 }, NOW).msg).toMatch(/^Job soon was scheduled to run in 0:31:12 /);
    expect(logRecordOf({ type: "paused", job: "x" }, NOW).msg).toBe("Paused job x");
    expect(logRecordOf({ type: "resumed", job: "x", nextDue: null }, NOW).msg).toBe("Resumed job x");
  });

  it("dispatched, with the due instant and the lateness as fields for machines", () => {
    expect(logRecordOf({ type: "dispatched", job: "j", dueAt: NOW, lateness: 12, occurrenceId: 5, catchUp: false }, NOW + 12)).toEqual({
      level: "info",
      msg: "Dispatched j, due 2024-03-03T07:36:47.000Z, 12 ms late",
      fields: { event: "dispatched", job: "j", dueAt: "2024-03-03T07:36:47.000Z", lateness: 12, occurrenceId: 5, catchUp: false },
    });
  });

  it("a failed run with the error's first line: an error when final, a warning when retried", () => {
    const final = logRecordOf({ type: "run-failed", job: "j", runId: 9, attempt: 2, error: "Error: boom", retryAt: null }, NOW);
    expect(final).toMatchObject({ level: "error", msg: "Run 9 of j failed: Error: boom", fields: { error: "Error: boom", retryAt: null } });
    const retried = logRecordOf({ type: "run-failed", job: "j", runId: 9, attempt: 1, error: "Error: boom", retryAt: NOW + 2_000 }, NOW);
    expect(retried).toMatchObject({ level: "warn", msg: "Run 9 of j failed (attempt 1), retrying in 2 s: Error: boom" });
  });

  it("an error outside a run: first line in the message, stack in a field", () => {
    const error = new Error("store is locked\nsecond line");
    const record = logRecordOf({ type: "error", error }, NOW);
    expect(record.msg).toBe("Error: store is locked");
    expect(record.fields.stack).toContain("store is locked");
    expect(logRecordOf({ type: "function-failed", job: "hello", error: "nope" }, NOW).msg).toBe("Error in hello: nope");
  });

  it("a run's start is debug: the logs leave it out at their default level (see logger.test.ts)", () => {
    expect(logRecordOf({ type: "run-started", job: "j", runId: 1, attempt: 1 }, NOW).level).toBe("debug");
  });
});

describe("the scheduled message", () => {
  it("rounds the wait up to the second, as the seed's log does for a job just scheduled", () => {
    expect(logRecordOf({ type: "scheduled", job: "every_48h", nextDue: NOW + 2 * 86_400_000 - 10 }, NOW).msg).toMatch(/to run in 2 days /);
    expect(logRecordOf({ type: "scheduled", job: "every_1s", nextDue: NOW + 990 }, NOW).msg).toMatch(/to run in 0:00:01 /);
  });

  it("gives the frequent events the level a logger skips them by", () => {
    const events = [
      { type: "run-started", job: "j", runId: 1, attempt: 1 },
      { type: "run-succeeded", job: "j", runId: 1, durationMs: 3 },
      { type: "dispatched", job: "j", dueAt: NOW, lateness: 0, occurrenceId: 1, catchUp: false },
    ] as const;
    expect(events.map((event) => event.type).sort()).toEqual(Object.keys(FREQUENT_EVENT_LEVELS).sort());
    for (const event of events) expect(logRecordOf(event, NOW).level).toBe(FREQUENT_EVENT_LEVELS[event.type]);
  });
});
