import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import type { JobView } from "../../../src/jobs/view.ts";
import type { Line } from "../../../src/ui/cell.ts";
import type { CounterSnapshot } from "../../../src/ui/counters.ts";
import { buildFrame, type FrameInput } from "../../../src/ui/frame.ts";
import { job, SEED_JOBS, SEED_NOW } from "./jobs.ts";

const COUNTERS: CounterSnapshot = { dispatched: 12, running: 1, succeeded: 10, failed: 1, lateP99: 3 };
const text = (line: Line): string => line.map((cell) => cell.text).join("");
const frame = (jobs: readonly JobView[], width: number, height = 40): ReturnType<typeof buildFrame> => {
  const input: FrameInput = { jobs, counters: COUNTERS, now: SEED_NOW, width, height };
  return buildFrame(input);
};
/** A name in wide characters: each takes two terminal columns. */
const WIDE = job("日本語のジョブ名前がとても長いです", { state: "Paused", nextDue: null });

describe("the frame at width 200", () => {
  const { lines, columns } = frame(SEED_JOBS, 200);

  it("shows every column, headed like the seed's (Schedule spelled right) plus Last run", () => {
    expect(columns).toEqual(["state", "schedule", "name", "moduleTask", "dueAt", "timezone", "dueIn", "attempts", "tags", "lastRun"]);
    expect(text(lines[0] ?? []).split(/ {2,}/)).toEqual(["State", "Schedule", "Job name", "Module and task", "Due at", "Timezone", "Due in", "Attempts", "Tags", "Last run"]);
  });

  it("shows rows like the seed's, names in full", () => {
    const row = lines.map(text).find((line) => line.includes("task_at_9_13"));
    expect(row?.split(/ {2,}/)).toEqual(["Running", "ONCE", "task_at_9_13", "tasks.long_task", "2024-03-03 09:13:00", "Europe/Berlin", "0:36:13", "0/1", "gpu", "—"]);
    expect(lines.map(text).join("\n")).toContain("task_once_in_5_hours_2_minutes_and_15_seconds ");
    expect(lines.map(text).join("\n")).not.toContain("…");
  });

  it("ends with the Orchestrating jobs line and its counters", () => {
    expect(text(lines.at(-1) ?? [])).toMatch(/^. Orchestrating jobs {2}dispatched 12 {2}running 1 {2}succeeded 10 {2}failed 1 {2}late p99 3 ms$/);
  });

  it("has no line wider than the terminal and no trailing spaces", () => {
    for (const line of lines) {
      expect(stringWidth(text(line))).toBeLessThanOrEqual(200);
      expect(text(line)).toBe(text(line).trimEnd());
    }
  });
});

describe("the frame at width 80", () => {
  const { lines, columns } = frame([...SEED_JOBS, WIDE], 80);

  it("drops tags, zone, module and due time, keeping state, kind, name, due in, attempts and last run", () => {
    expect(columns).toEqual(["state", "schedule", "name", "dueIn", "attempts", "lastRun"]);
  });

  it("ends long names with an ellipsis instead of wrapping, and counts wide characters as two columns", () => {
    const rendered = lines.map(text);
    for (const line of rendered) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    expect(rendered.some((line) => /task_once_in_5_hours_2_…\s/.test(line))).toBe(true);
    const wide = rendered.find((line) => line.includes("日本語"));
    expect(wide).toMatch(/…/);
    // The column after the name starts at the same screen column in every row.
    const dueInColumn = (line: string): number => stringWidth(line.slice(0, line.search(/(?:\d+:\d\d:\d\d|\d+ days?|—)\s+\d+\/(?:inf|1)/)));
    const starts = new Set(rendered.slice(1, -1).map(dueInColumn));
    expect(starts.size).toBe(1);
  });

  it("keeps the counters, without the label that no longer fits", () => {
    expect(text(lines.at(-1) ?? [])).toMatch(/^. dispatched 12 {2}running 1 {2}succeeded 10 {2}failed 1 {2}late p99 3 ms$/);
  });
});

describe("fitting any terminal", () => {
  it("never draws a line wider than the terminal, and only loses columns as it narrows", () => {
    let previous: readonly string[] | null = null;
    for (let width = 220; width >= 8; width--) {
      const { lines, columns } = frame([...SEED_JOBS, WIDE], width);
      for (const line of lines) expect(stringWidth(text(line)), `width ${width}: ${text(line)}`).toBeLessThanOrEqual(width);
      if (previous !== null) expect(previous, `width ${width}`).toEqual(expect.arrayContaining([...columns]));
      expect(columns).toEqual(expect.arrayContaining(["name", "dueIn"]));
      previous = columns;
    }
  });

  it("shows the soonest jobs and says how many more when the terminal is short", () => {
    const many = Array.from({ length: 30 }, (_, i) => job(`job_${String(i).padStart(2, "0")}`, { nextDue: SEED_NOW + (30 - i) * 1000 }));
    const { lines, hidden } = frame(many, 120, 10);
    expect(lines).toHaveLength(10);
    expect(text(lines[1] ?? [])).toContain("job_29");
    expect(text(lines.at(-2) ?? [])).toBe("… 23 more jobs (a taller terminal shows them)");
    expect(hidden).toBe(23);
    expect(text(lines.at(-1) ?? [])).toContain("Orchestrating jobs");
  });

  it("shows every job when there is room, and says so when there is none", () => {
    expect(frame(SEED_JOBS, 120, SEED_JOBS.length + 2).hidden).toBe(0);
    expect(frame([], 120).lines.map(text)[1]).toBe("No jobs scheduled");
    expect(frame(SEED_JOBS, 120, 1).lines).toHaveLength(1);
  });

  it("is the same frame for the same input (no hidden state between redraws)", () => {
    expect(frame(SEED_JOBS, 100)).toEqual(frame([...SEED_JOBS].reverse(), 100));
  });
});
