import { describe, expect, it } from "vitest";
import { formatInstant, parseTiming } from "../../../src/index.ts";
import { at, fires, firstFire } from "../../support/time.ts";

/** Local dates (YYYY-MM-DD) of every fire between two instants. */
function localDatesOfFires(expression: string, zone: string, from: string, to: string): string[] {
  const trigger = parseTiming(expression, zone);
  const dates: string[] = [];
  const end = at(to);
  for (let fire = trigger.nextFire(at(from), at(from)); fire !== null && fire < end; fire = trigger.nextFire(fire, at(from))) {
    dates.push(formatInstant(fire, trigger.zone).slice(0, 10));
  }
  return dates;
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

describe("a nonexistent wall-clock time fires moved forward by the gap", () => {
  it("Europe/Berlin 2024-03-31 02:30 fires at 03:30+02:00", () => {
    expect(fires("every day at 2:30", "Europe/Berlin", "2024-03-30T12:00:00Z", 3)).toEqual([
      "2024-03-31T03:30:00+02:00",
      "2024-04-01T02:30:00+02:00",
      "2024-04-02T02:30:00+02:00",
    ]);
    expect(firstFire("2024-03-31 02:30", "Europe/Berlin", "2024-03-01T00:00:00Z")).toBe("2024-03-31T03:30:00+02:00");
    expect(firstFire("30 2 * * *", "Europe/Berlin", "2024-03-30T12:00:00Z")).toBe("2024-03-31T03:30:00+02:00");
  });

  it("a gap time still fires when asked from inside the hour after the jump", () => {
    // 01:10 UTC is 03:10+02:00, after the jump; 02:30 moved forward (03:30+02:00) is still ahead.
    expect(firstFire("every day at 2:30", "Europe/Berlin", "2024-03-31T01:10:00Z")).toBe("2024-03-31T03:30:00+02:00");
  });

  it("a real time after the gap that comes before a moved time fires first", () => {
    // 02:30 moves to 03:30+02:00, 03:00 exists: 03:00 comes first on the real time line.
    expect(fires("every day at 2:30 and 3:00", "Europe/Berlin", "2024-03-31T00:30:00Z", 2)).toEqual([
      "2024-03-31T03:00:00+02:00",
      "2024-03-31T03:30:00+02:00",
    ]);
  });

  it("America/New_York, Australia/Lord_Howe (30-minute jump) and Pacific/Chatham follow the same rule", () => {
    expect(firstFire("every day at 2:30", "America/New_York", "2024-03-10T00:00:00Z")).toBe("2024-03-10T03:30:00-04:00");
    // Lord Howe jumps from 02:00+10:30 to 02:30+11:00 on 2024-10-06.
    expect(firstFire("every day at 2:15", "Australia/Lord_Howe", "2024-10-05T00:00:00Z")).toBe("2024-10-06T02:45:00+11:00");
    // Chatham jumps from 02:45+12:45 to 03:45+13:45 on 2024-09-29.
    expect(firstFire("every day at 3:00", "Pacific/Chatham", "2024-09-28T00:00:00Z")).toBe("2024-09-29T04:00:00+13:45");
  });
});

describe("an ambiguous wall-clock time fires once, at the earlier instant", () => {
  it("Europe/Berlin 2024-10-27 02:30 fires at 02:30+02:00 only", () => {
    expect(fires("every day at 2:30", "Europe/Berlin", "2024-10-26T12:00:00Z", 2)).toEqual([
      "2024-10-27T02:30:00+02:00",
      "2024-10-28T02:30:00+01:00",
    ]);
  });

  it("asked during the second pass through the fold, the next fire is the next day's", () => {
    // 01:45 UTC is 02:45+01:00, the second 02:45; the first 02:45 (00:45 UTC) has passed.
    expect(firstFire("every day at 2:50", "Europe/Berlin", "2024-10-27T01:45:00Z")).toBe("2024-10-28T02:50:00+01:00");
    expect(firstFire("50 2 * * *", "Europe/Berlin", "2024-10-27T01:45:00Z")).toBe("2024-10-28T02:50:00+01:00");
  });

  it("a WEEKLY job fires once on its day across the fold", () => {
    expect(fires("every Sunday at 2:30", "Europe/Berlin", "2024-10-26T00:00:00Z", 2)).toEqual([
      "2024-10-27T02:30:00+02:00",
      "2024-11-03T02:30:00+01:00",
    ]);
  });
});

describe("a DAILY job fires once per local day", () => {
  it.each(["Europe/Berlin", "America/New_York", "America/Santiago", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kathmandu"])(
    "in %s through all of 2024, at any time of day",
    (zone) => {
      for (const time of ["0:00", "0:30", "1:30", "2:00", "2:30", "3:00", "23:59:59"]) {
        const dates = localDatesOfFires(`every day at ${time}`, zone, "2024-01-01T12:00:00Z", "2025-01-01T00:00:00Z");
        expect(new Set(dates).size, `${zone} ${time}`).toBe(dates.length);
        expect(dates.length, `${zone} ${time}`).toBeGreaterThanOrEqual(364);
      }
    },
  );
});

describe("MINUTELY and HOURLY fire every real minute or hour whose local minute and second match", () => {
  it("an hourly job fires 25 times on Berlin's fall-back day and 23 on its spring-forward day", () => {
    const fallBack = countBy(localDatesOfFires("every hour", "Europe/Berlin", "2024-10-26T12:00:00Z", "2024-10-28T12:00:00Z"));
    expect(fallBack.get("2024-10-27")).toBe(25);
    expect(fallBack.get("2024-10-28")).toBeGreaterThan(0);
    const springForward = countBy(localDatesOfFires("every hour at 05:00", "Europe/Berlin", "2024-03-30T12:00:00Z", "2024-04-01T12:00:00Z"));
    expect(springForward.get("2024-03-31")).toBe(23);
  });

  it("through the fall-back fold the same local minute fires twice, an hour apart", () => {
    expect(fires("every hour at 30:00", "Europe/Berlin", "2024-10-27T00:00:00Z", 3)).toEqual([
      "2024-10-27T02:30:00+02:00",
      "2024-10-27T02:30:00+01:00",
      "2024-10-27T03:30:00+01:00",
    ]);
  });

  it("Lord Howe's 30-minute shift moves the real hour by half an hour", () => {
    // 2024-10-06 02:00+10:30 becomes 02:30+11:00: local :05 is at :35 UTC before and :05 UTC after.
    expect(fires("every hour at 05:00", "Australia/Lord_Howe", "2024-10-05T14:00:00Z", 3)).toEqual([
      "2024-10-06T01:05:00+10:30",
      "2024-10-06T03:05:00+11:00",
      "2024-10-06T04:05:00+11:00",
    ]);
  });

  it("Kathmandu's +05:45 offset keeps the local minute", () => {
    expect(fires("every hour at 05:00", "Asia/Kathmandu", "2024-06-01T00:00:00Z", 2)).toEqual([
      "2024-06-01T06:05:00+05:45",
      "2024-06-01T07:05:00+05:45",
    ]);
    expect(fires("every minute at 15 seconds", "Asia/Kathmandu", "2024-06-01T00:00:00Z", 1)).toEqual([
      "2024-06-01T05:45:15+05:45",
    ]);
  });

  it("a wildcard cron fires on real time like HOURLY, a fixed-time cron by the wall clock like DAILY", () => {
    const wildcard = countBy(localDatesOfFires("0 * * * *", "Europe/Berlin", "2024-10-26T21:30:00Z", "2024-10-27T23:00:00Z"));
    expect(wildcard.get("2024-10-27")).toBe(25);
    const fixed = countBy(localDatesOfFires("30 2 * * *", "Europe/Berlin", "2024-10-26T22:00:00Z", "2024-10-28T23:00:00Z"));
    expect(fixed.get("2024-10-27")).toBe(1);
  });
});

describe("next fire", () => {
  it("is strictly after the reference instant, even when the reference is itself a fire", () => {
    expect(firstFire("every day at 9:00", "UTC", "2024-03-03T09:00:00Z")).toBe("2024-03-04T09:00:00+00:00");
    expect(firstFire("every hour", "UTC", "2024-03-03T09:00:00Z")).toBe("2024-03-03T10:00:00+00:00");
    expect(firstFire("0 9 * * *", "UTC", "2024-03-03T09:00:00Z")).toBe("2024-03-04T09:00:00+00:00");
    expect(firstFire("every 10 seconds", "UTC", "2024-03-03T09:00:00Z")).toBe("2024-03-03T09:00:10+00:00");
  });

  it("works 60 days ahead and two years ahead", () => {
    expect(firstFire("2024-05-02 10:00", "Europe/Berlin", "2024-03-03T10:00:00Z")).toBe("2024-05-02T10:00:00+02:00");
    expect(firstFire("every 60 days", "UTC", "2024-03-03T10:00:00Z")).toBe("2024-05-02T10:00:00+00:00");
    expect(firstFire("0 0 29 2 *", "Europe/Berlin", "2024-03-01T00:00:00Z")).toBe("2028-02-29T00:00:00+01:00");
    expect(firstFire("2026-03-03 10:00", "Asia/Kathmandu", "2024-03-03T10:00:00Z")).toBe("2026-03-03T10:00:00+05:45");
  });

  it("a cron pattern that can never match never fires", () => {
    expect(firstFire("0 0 31 2 *", "UTC", "2024-03-01T00:00:00Z")).toBeNull();
  });
});
