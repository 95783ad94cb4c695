import { describe, expect, it } from "vitest";
import { parseTiming } from "../../../src/index.ts";
import { firstFire } from "../../support/time.ts";

/**
 * The seed's live table, captured at 2024-03-03 07:36:47 UTC with zones Europe/Berlin, UTC and
 * America/Boise: every one of its 23 timing forms must show the same kind and due time.
 */
const START = "2024-03-03T07:36:47Z";

const SEED_TABLE: readonly (readonly [expression: string, zone: string, kind: string, due: string])[] = [
  ["every 00:00:01", "UTC", "CYCLIC", "2024-03-03T07:36:48+00:00"],
  ["every 00:00:10", "UTC", "CYCLIC", "2024-03-03T07:36:57+00:00"],
  ["every 48:00:00", "UTC", "CYCLIC", "2024-03-05T07:36:47+00:00"],
  ["every 31 minutes and 12 seconds", "UTC", "CYCLIC", "2024-03-03T08:07:59+00:00"],
  ["every Monday at 03:15:00", "Europe/Berlin", "WEEKLY", "2024-03-04T03:15:00+01:00"],
  ["every Monday at 03:15:00", "America/Boise", "WEEKLY", "2024-03-04T03:15:00-07:00"],
  ["next Tuesday at 13:11:00", "Europe/Berlin", "ONCE", "2024-03-05T13:11:00+01:00"],
  ["once, Wednesday at 01:15:00", "Europe/Berlin", "ONCE", "2024-03-06T01:15:00+01:00"],
  ["once on Thursday, 00:31:41", "Europe/Berlin", "ONCE", "2024-03-07T00:31:41+01:00"],
  ["every day at 09:15:14", "Europe/Berlin", "DAILY", "2024-03-03T09:15:14+01:00"],
  ["every minute at 15 seconds", "Europe/Berlin", "MINUTELY", "2024-03-03T08:37:15+01:00"],
  ["every hour at 05:00", "Europe/Berlin", "HOURLY", "2024-03-03T09:05:00+01:00"],
  ["every day on 9:03", "Europe/Berlin", "DAILY", "2024-03-03T09:03:00+01:00"],
  ["every day at 9:15", "Europe/Berlin", "DAILY", "2024-03-03T09:15:00+01:00"],
  ["every day at 13 hours", "Europe/Berlin", "DAILY", "2024-03-03T13:00:00+01:00"],
  ["once in 13:11:52", "UTC", "ONCE", "2024-03-03T20:48:39+00:00"],
  ["11:23:00", "Europe/Berlin", "ONCE", "2024-03-03T11:23:00+01:00"],
  ["9:13", "Europe/Berlin", "ONCE", "2024-03-03T09:13:00+01:00"],
  ["2024-04-01 09:13", "Europe/Berlin", "ONCE", "2024-04-01T09:13:00+02:00"],
  ["next 23:00:00", "Europe/Berlin", "ONCE", "2024-03-03T23:00:00+01:00"],
  ["once in 5 hours 2 minutes and 15 seconds", "UTC", "ONCE", "2024-03-03T12:39:02+00:00"],
  ["once in 1 hour and 10 minutes", "UTC", "ONCE", "2024-03-03T08:46:47+00:00"],
  ["once in 2 minutes and 10 seconds", "UTC", "ONCE", "2024-03-03T07:38:57+00:00"],
  ["once in 17 seconds", "UTC", "ONCE", "2024-03-03T07:37:04+00:00"],
  ["2024-04-01 09:13:11", "Europe/Berlin", "ONCE", "2024-04-01T09:13:11+02:00"],
];

describe("the seed's table (started 2024-03-03 07:36:47 UTC)", () => {
  it.each(SEED_TABLE)("%s in %s is %s due %s", (expression, zone, kind, due) => {
    expect(parseTiming(expression, zone).kind).toBe(kind);
    expect(firstFire(expression, zone, START)).toBe(due);
  });

  it("a date already past, like the seed's 2023-04-01 09:13, never fires", () => {
    expect(parseTiming("2023-04-01 09:13", "Europe/Berlin").kind).toBe("ONCE");
    expect(firstFire("2023-04-01 09:13", "Europe/Berlin", START)).toBeNull();
  });

  it("the seed's every-second job keeps its phase: three runs later it is due at 07:36:51", () => {
    const trigger = parseTiming("every 00:00:01", "UTC");
    const start = Date.parse(START);
    let due = start;
    for (let run = 0; run < 4; run++) due = trigger.nextFire(due, start) ?? Number.NaN;
    expect(new Date(due).toISOString()).toBe("2024-03-03T07:36:51.000Z");
  });
});
