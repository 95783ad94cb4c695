import { describe, expect, it } from "vitest";
import { dueAtCell, dueInCell, formatAgo, lastRunCell, moduleAndTaskCell, stateCell, tagsCell } from "../../../src/ui/cells.ts";
import { printable } from "../../../src/ui/cell.ts";
import { SEED_NOW } from "./jobs.ts";

describe("cell formats", () => {
  it("Due at is the wall clock of the job's zone, as the seed shows it (no offset, no milliseconds)", () => {
    const due = Date.parse("2024-03-03T08:13:00.250Z");
    expect(dueAtCell(due, "Europe/Berlin").text).toBe("2024-03-03 09:13:00");
    expect(dueAtCell(due, "UTC").text).toBe("2024-03-03 08:13:00");
    expect(dueAtCell(Date.parse("2024-03-04T10:15:00Z"), "America/Boise").text).toBe("2024-03-04 03:15:00");
    expect(dueAtCell(null, "UTC")).toEqual({ text: "—", tone: "dim" });
  });

  it("Due in reads like the seed's: H:MM:SS under a day, then whole days", () => {
    expect(dueInCell(SEED_NOW + 36 * 60_000 + 9_000, SEED_NOW).text).toBe("0:36:09");
    expect(dueInCell(SEED_NOW + 14 * 3_600_000 + 23 * 60_000 + 9_000, SEED_NOW).text).toBe("14:23:09");
    expect(dueInCell(SEED_NOW + 2.3 * 86_400_000, SEED_NOW).text).toBe("2 days");
    expect(dueInCell(SEED_NOW + 86_400_000, SEED_NOW).text).toBe("1 day");
    expect(dueInCell(SEED_NOW + 28 * 86_400_000, SEED_NOW).text).toBe("28 days");
  });

  it("Due in shows a job being dispatched right now as 0:00:00, and a really overdue one negative, in red", () => {
    expect(dueInCell(SEED_NOW - 400, SEED_NOW)).toEqual({ text: "0:00:00", tone: "plain" });
    expect(dueInCell(SEED_NOW - 3_000, SEED_NOW)).toEqual({ text: "-0:00:03", tone: "red" });
  });

  it("Module and task: a module path shows as its file name without extension, a package as is", () => {
    expect(moduleAndTaskCell("/srv/app/tasks.ts", "long_task").text).toBe("tasks.long_task");
    expect(moduleAndTaskCell("./jobs/report.mjs", "nightly").text).toBe("report.nightly");
    expect(moduleAndTaskCell("C:\\app\\tasks.js", "t").text).toBe("tasks.t");
    expect(moduleAndTaskCell("@acme/jobs", "sync").text).toBe("@acme/jobs.sync");
  });

  it("states are coloured as the seed's: green Running, yellow Paused; Done is dimmed", () => {
    expect(stateCell("Running").tone).toBe("green");
    expect(stateCell("Paused").tone).toBe("yellow");
    expect(stateCell("Done").tone).toBe("dim");
  });

  it("Tags are joined with commas, like the seed's cpu,fast", () => {
    expect(tagsCell(["cpu", "fast"]).text).toBe("cpu,fast");
    expect(tagsCell([]).text).toBe("");
  });

  it("Last run is the status and how long ago, in one unit", () => {
    expect(lastRunCell(null, SEED_NOW)).toEqual({ text: "—", tone: "dim" });
    expect(lastRunCell({ status: "success", at: SEED_NOW - 3_400 }, SEED_NOW)).toEqual({ text: "success 3s ago", tone: "green" });
    expect(lastRunCell({ status: "failure", at: SEED_NOW - 2 * 3_600_000 }, SEED_NOW)).toEqual({ text: "failure 2h ago", tone: "red" });
    expect(formatAgo(0)).toBe("0s ago");
    expect(formatAgo(-500)).toBe("0s ago");
    expect(formatAgo(59_999)).toBe("59s ago");
    expect(formatAgo(60_000)).toBe("1m ago");
    expect(formatAgo(3 * 86_400_000)).toBe("3d ago");
  });

  it("control characters in names cannot reach the terminal", () => {
    expect(printable("evil\u001b[2Jname\nline")).toBe("evil?[2Jname?line");
  });
});
