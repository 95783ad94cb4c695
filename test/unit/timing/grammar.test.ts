import { describe, expect, it } from "vitest";
import { parseTiming } from "../../../src/index.ts";
import { fires } from "../../support/time.ts";

// 2024-03-03 was a Sunday; 07:36:47 UTC is 08:36:47 in Berlin.
const START = "2024-03-03T07:36:47Z";

describe("the generalisations of timing.md", () => {
  const cases: readonly (readonly [expression: string, kind: string, first: readonly string[]])[] = [
    ["every 5 minutes", "CYCLIC", ["2024-03-03T07:41:47+00:00", "2024-03-03T07:46:47+00:00"]],
    ["every 2 hours", "CYCLIC", ["2024-03-03T09:36:47+00:00"]],
    ["every 90 seconds", "CYCLIC", ["2024-03-03T07:38:17+00:00", "2024-03-03T07:39:47+00:00"]],
    ["every 1 hour and 30 minutes", "CYCLIC", ["2024-03-03T09:06:47+00:00"]],
    ["every 3 days", "CYCLIC", ["2024-03-06T07:36:47+00:00"]],
    ["every 1h 30m", "CYCLIC", ["2024-03-03T09:06:47+00:00"]],
    ["every second", "CYCLIC", ["2024-03-03T07:36:48+00:00"]],
    ["every minute", "MINUTELY", ["2024-03-03T07:37:00+00:00", "2024-03-03T07:38:00+00:00"]],
    ["every minute at second 30", "MINUTELY", ["2024-03-03T07:37:30+00:00"]],
    ["every hour", "HOURLY", ["2024-03-03T08:00:00+00:00", "2024-03-03T09:00:00+00:00"]],
    ["every hour at 30 minutes", "HOURLY", ["2024-03-03T08:30:00+00:00"]],
    ["every hour at 00:05:30", "HOURLY", ["2024-03-03T08:05:30+00:00"]],
    ["every day", "DAILY", ["2024-03-04T00:00:00+00:00"]],
    ["every day at 9:00 and 17:30", "DAILY", ["2024-03-03T09:00:00+00:00", "2024-03-03T17:30:00+00:00", "2024-03-04T09:00:00+00:00"]],
    ["every day at 9am", "DAILY", ["2024-03-03T09:00:00+00:00"]],
    ["every day at 5:30 pm", "DAILY", ["2024-03-03T17:30:00+00:00"]],
    ["every day at 5:30pm", "DAILY", ["2024-03-03T17:30:00+00:00"]],
    ["every day at noon", "DAILY", ["2024-03-03T12:00:00+00:00"]],
    ["every day at midnight", "DAILY", ["2024-03-04T00:00:00+00:00"]],
    ["every day at 12am", "DAILY", ["2024-03-04T00:00:00+00:00"]],
    ["every Monday at 3:15", "WEEKLY", ["2024-03-04T03:15:00+00:00", "2024-03-11T03:15:00+00:00"]],
    ["every monday at 3:15", "WEEKLY", ["2024-03-04T03:15:00+00:00"]],
    ["EVERY MONDAY AT 3:15", "WEEKLY", ["2024-03-04T03:15:00+00:00"]],
    ["  every   Monday ,  at 3:15 ", "WEEKLY", ["2024-03-04T03:15:00+00:00"]],
    ["every Sunday", "WEEKLY", ["2024-03-10T00:00:00+00:00"]],
    ["every weekday at 9:00", "WEEKLY", ["2024-03-04T09:00:00+00:00", "2024-03-05T09:00:00+00:00", "2024-03-06T09:00:00+00:00"]],
    ["every weekend at 10:00", "WEEKLY", ["2024-03-03T10:00:00+00:00", "2024-03-09T10:00:00+00:00", "2024-03-10T10:00:00+00:00"]],
    ["every Monday and Thursday at 18:30", "WEEKLY", ["2024-03-04T18:30:00+00:00", "2024-03-07T18:30:00+00:00", "2024-03-11T18:30:00+00:00"]],
    ["every Mon, Wed, Fri at 7:00", "WEEKLY", ["2024-03-04T07:00:00+00:00", "2024-03-06T07:00:00+00:00", "2024-03-08T07:00:00+00:00"]],
    ["every Tuesdays at 8:00", "WEEKLY", ["2024-03-05T08:00:00+00:00"]],
    ["every month on the 1st at 09:00", "MONTHLY", ["2024-04-01T09:00:00+00:00", "2024-05-01T09:00:00+00:00"]],
    ["every month on the 15th at 12:00", "MONTHLY", ["2024-03-15T12:00:00+00:00", "2024-04-15T12:00:00+00:00"]],
    ["every month on the last day at 23:00", "MONTHLY", ["2024-03-31T23:00:00+00:00", "2024-04-30T23:00:00+00:00", "2024-05-31T23:00:00+00:00"]],
    ["every month on the 31st at 8:00", "MONTHLY", ["2024-03-31T08:00:00+00:00", "2024-05-31T08:00:00+00:00", "2024-07-31T08:00:00+00:00"]],
    ["every month on the 1st and 15th", "MONTHLY", ["2024-03-15T00:00:00+00:00", "2024-04-01T00:00:00+00:00"]],
    ["every month on day 3 at 7:36:47", "MONTHLY", ["2024-04-03T07:36:47+00:00"]],
    ["every month", "MONTHLY", ["2024-04-01T00:00:00+00:00"]],
    ["2026-12-01T09:00:00", "ONCE", ["2026-12-01T09:00:00+00:00"]],
    ["2026-12-01T09:00:00+01:00", "ONCE", ["2026-12-01T08:00:00+00:00"]],
    ["2026-12-01T09:00:00Z", "ONCE", ["2026-12-01T09:00:00+00:00"]],
    ["2024-03-03", "ONCE", []],
    ["once at 2024-03-04 10:00", "ONCE", ["2024-03-04T10:00:00+00:00"]],
    ["in 10 minutes", "ONCE", ["2024-03-03T07:46:47+00:00"]],
    ["at 9:00", "ONCE", ["2024-03-03T09:00:00+00:00"]],
    ["7:36:47", "ONCE", ["2024-03-04T07:36:47+00:00"]],
    ["next Sunday at 7:00", "ONCE", ["2024-03-10T07:00:00+00:00"]],
    ["next Sunday at 8:00", "ONCE", ["2024-03-03T08:00:00+00:00"]],
    ["0 3 * * MON", "CRON", ["2024-03-04T03:00:00+00:00", "2024-03-11T03:00:00+00:00"]],
    ["*/15 9-17 * * 1-5", "CRON", ["2024-03-04T09:00:00+00:00", "2024-03-04T09:15:00+00:00"]],
    ["30 */5 * * * *", "CRON", ["2024-03-03T07:40:30+00:00", "2024-03-03T07:45:30+00:00"]],
    ["@daily", "CRON", ["2024-03-04T00:00:00+00:00"]],
    ["@hourly", "CRON", ["2024-03-03T08:00:00+00:00"]],
  ];

  it.each(cases)("%s is %s and fires %j", (expression, kind, first) => {
    expect(parseTiming(expression, "UTC").kind).toBe(kind);
    expect(fires(expression, "UTC", START, first.length + 1).slice(0, first.length)).toEqual(first);
  });

  it("a ONCE job fires exactly once", () => {
    for (const expression of ["once in 17 seconds", "9:13", "next Tuesday at 13:11", "2026-12-01T09:00:00"]) {
      expect(fires(expression, "UTC", START, 5)).toHaveLength(1);
    }
  });

  it("every kind describes itself canonically", () => {
    expect(parseTiming("every 31 minutes and 12 seconds").description).toBe("every 31 minutes and 12 seconds");
    expect(parseTiming("every 48:00:00").description).toBe("every 2 days");
    expect(parseTiming("every Mon, Wed, Fri at 7:00").description).toBe("every Monday, Wednesday and Friday at 07:00:00");
    expect(parseTiming("every month on the 1st and last day at 9:00").description).toBe(
      "every month on the 1st and last day at 09:00:00",
    );
    expect(parseTiming("every hour at 05:00").description).toBe("every hour at minute 05:00");
    expect(parseTiming("once in 1 hour and 10 minutes").description).toBe("once, 1 hour and 10 minutes after the start");
  });
});

describe("intervals", () => {
  it("a CYCLIC job keeps its phase from its start, also when asked long after (a restart)", () => {
    const trigger = parseTiming("every 31 minutes and 12 seconds");
    const start = Date.parse("2024-03-03T07:36:47Z");
    const afterRestart = Date.parse("2024-03-10T00:00:00Z");
    const fire = trigger.nextFire(afterRestart, start) ?? Number.NaN;
    expect((fire - start) % (31 * 60_000 + 12_000)).toBe(0);
    expect(fire).toBeGreaterThan(afterRestart);
    expect(fire - afterRestart).toBeLessThanOrEqual(31 * 60_000 + 12_000);
  });

  it("intervals are absolute elapsed time: the zone and DST do not change them", () => {
    // Berlin springs forward at 01:00 UTC on 2024-03-31.
    expect(fires("every 1 hour", "Europe/Berlin", "2024-03-31T00:30:00Z", 3)).toEqual([
      "2024-03-31T03:30:00+02:00",
      "2024-03-31T04:30:00+02:00",
      "2024-03-31T05:30:00+02:00",
    ]);
    expect(fires("once in 2 hours", "Europe/Berlin", "2024-03-31T00:30:00Z", 2)).toEqual(["2024-03-31T04:30:00+02:00"]);
  });
});
