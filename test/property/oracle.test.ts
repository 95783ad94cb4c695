/**
 * The oracle against the spec's own worked examples, with no engine involved: a check that the
 * oracle reads timing.md right before the engine is judged by it.
 */
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import {
  HOUR,
  iso,
  MINUTE,
  nextCyclicFire,
  nextRealTimeFire,
  nextWallClockFire,
  realTimeFiresBetween,
  transitionsOf,
  wallClockInstant,
} from "./oracle.ts";
import { hourlyRule, minutelyRule, weekdayIndex } from "./schedules.ts";

const START = Date.parse("2024-03-03T07:36:47Z");
const everyDay = (): boolean => true;

describe("the oracle reproduces timing.md's examples", () => {
  it("the seed's table: every 31 minutes and 12 seconds, every Monday at 03:15:00, every minute at 15 seconds, every hour at 05:00", () => {
    expect(iso("UTC", nextCyclicFire(START, 31 * MINUTE + 12_000, START))).toBe("2024-03-03T08:07:59+00:00");
    const monday = { onDate: (date: Temporal.PlainDate) => weekdayIndex(date) === 1, times: [{ hour: 3, minute: 15, second: 0 }] };
    expect(iso("Europe/Berlin", nextWallClockFire("Europe/Berlin", monday, START))).toBe("2024-03-04T03:15:00+01:00");
    expect(iso("Europe/Berlin", nextRealTimeFire("Europe/Berlin", minutelyRule(15), START))).toBe("2024-03-03T08:37:15+01:00");
    expect(iso("Europe/Berlin", nextRealTimeFire("Europe/Berlin", hourlyRule(5, 0), START))).toBe("2024-03-03T09:05:00+01:00");
  });

  it("Europe/Berlin 2024-03-31 02:30 (skipped) fires at 03:30+02:00; 2024-10-27 02:30 (shown twice) at 02:30+02:00", () => {
    const at230 = { hour: 2, minute: 30, second: 0 };
    expect(iso("Europe/Berlin", wallClockInstant("Europe/Berlin", new Temporal.PlainDate(2024, 3, 31), at230))).toBe("2024-03-31T03:30:00+02:00");
    expect(iso("Europe/Berlin", wallClockInstant("Europe/Berlin", new Temporal.PlainDate(2024, 10, 27), at230))).toBe("2024-10-27T02:30:00+02:00");
    const daily = { onDate: everyDay, times: [at230] };
    // From inside the fold's second pass the 02:30 of that day has already fired.
    expect(iso("Europe/Berlin", nextWallClockFire("Europe/Berlin", daily, Date.parse("2024-10-27T01:10:00Z")))).toBe("2024-10-28T02:30:00+01:00");
  });

  it("an hourly job fires 25 times on Berlin's fall-back day and 23 on its spring-forward day", () => {
    const count = (from: string, to: string): number =>
      realTimeFiresBetween("Europe/Berlin", hourlyRule(5, 0), Date.parse(from) - 1, Date.parse(to) - 1).length;
    expect(count("2024-10-27T00:00:00+02:00", "2024-10-28T00:00:00+01:00")).toBe(25);
    expect(count("2024-03-31T00:00:00+01:00", "2024-04-01T00:00:00+02:00")).toBe(23);
  });

  it("finds each zone's transitions: Lord Howe shifts by 30 minutes, Chatham by an hour at 02:45 standard time, Kathmandu and UTC never", () => {
    const lordHowe = transitionsOf("Australia/Lord_Howe").filter((t) => t.at >= Date.UTC(2024, 0, 1) && t.at < Date.UTC(2025, 0, 1));
    expect(lordHowe.map((t) => [iso("Australia/Lord_Howe", t.at), (t.after - t.before) / MINUTE])).toEqual([
      ["2024-04-07T01:30:00+10:30", -30],
      ["2024-10-06T02:30:00+11:00", 30],
    ]);
    const chatham = transitionsOf("Pacific/Chatham").find((t) => t.at >= Date.UTC(2024, 6, 1));
    expect(chatham && [iso("Pacific/Chatham", chatham.at), chatham.after - chatham.before]).toEqual(["2024-09-29T03:45:00+13:45", HOUR]);
    expect(transitionsOf("Asia/Kathmandu")).toEqual([]);
    expect(transitionsOf("UTC")).toEqual([]);
  });
});
