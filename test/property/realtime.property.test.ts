/**
 * Real-time kinds — MINUTELY and HOURLY — fire at every real instant whose local minute and second
 * match: checked against a brute-force walk over real minutes, and by counting fires on the days the
 * clock changes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTiming, type Trigger } from "../../src/index.ts";
import { engineFiresBetween, expectSameNextFire, isoAll, runs } from "./agreement.ts";
import {
  HOUR,
  localDateOf,
  MINUTE,
  offsetAt,
  realTimeFiresBetween,
  SPAN_END,
  SPAN_START,
  startOfDay,
  transitionsOf,
  zonedAt,
  ZONES,
  type Transition,
} from "./oracle.ts";
import { arbHourly, arbMinuteOfHour, arbMinutely, arbReference, hourlyRule, pad } from "./schedules.ts";

const RUNS = 40;
const arbSecond = fc.integer({ min: 0, max: 59 });

function transitionsInSpan(zone: string): readonly Transition[] {
  return transitionsOf(zone).filter((t) => t.at >= SPAN_START && t.at < SPAN_END);
}

/** The local day a transition falls on: its first and last instant. */
function dayOf(zone: string, t: Transition): { readonly start: number; readonly end: number; readonly hours: number } {
  const date = localDateOf(zone, t.at);
  const start = startOfDay(zone, date);
  const end = startOfDay(zone, date.add({ days: 1 }));
  return { start, end, hours: zonedAt(zone, t.at).hoursInDay };
}

/** The engine's fires within a local day (its first instant included, the next day's excluded). */
function firesOnDay(trigger: Trigger, day: { readonly start: number; readonly end: number }): number[] {
  return engineFiresBetween(trigger, day.start - 1, day.end - 1);
}

const hourly = (minute: number, second: number, zone: string): Trigger =>
  parseTiming(`every hour at ${pad(minute)}:${pad(second)}`, zone);

describe.each(ZONES)("real-time kinds in %s", (zone) => {
  it("MINUTELY fires at the first real instant strictly after the reference whose local second matches", () => {
    fc.assert(
      fc.property(arbMinutely(zone), arbReference(zone), (schedule, reference) => {
        expectSameNextFire(schedule, reference);
      }),
      { numRuns: runs(RUNS) },
    );
  });

  it("HOURLY fires at the first real instant strictly after the reference whose local minute and second match", () => {
    fc.assert(
      fc.property(arbHourly(zone), arbReference(zone), (schedule, reference) => {
        expectSameNextFire(schedule, reference);
      }),
      { numRuns: runs(RUNS) },
    );
  });

  // Only zones whose clock changes have such days (Asia/Kathmandu and UTC do not).
  if (transitionsInSpan(zone).length > 0) {
    it("on each day the clock changes, HOURLY fires once for every real instant showing its minute and second", () => {
      const transitions = transitionsInSpan(zone);
      fc.assert(
        fc.property(fc.constantFrom(...transitions), arbMinuteOfHour, arbSecond, (t, minute, second) => {
          const day = dayOf(zone, t);
          const fires = firesOnDay(hourly(minute, second, zone), day);
          expect(isoAll(zone, fires)).toEqual(isoAll(zone, realTimeFiresBetween(zone, hourlyRule(minute, second), day.start - 1, day.end - 1)));
        }),
        { numRuns: runs(10) },
      );
    });
  }

  it("MINUTELY fires once per real minute: a local day of N real minutes has N fires, also when the clock changes", () => {
    const transitions = transitionsInSpan(zone);
    const days = transitions.length > 0 ? transitions.map((t) => dayOf(zone, t)) : [dayOf(zone, { at: Date.UTC(2024, 5, 1), before: 0, after: 0 })];
    fc.assert(
      fc.property(fc.constantFrom(...days), arbSecond, (day, second) => {
        const fires = firesOnDay(parseTiming(`every minute at ${second} seconds`, zone), day);
        expect(fires.length).toBe((day.end - day.start) / MINUTE);
        expect(fires.length).toBe(day.hours * 60);
        for (const fire of fires) expect(zonedAt(zone, fire).second).toBe(second);
      }),
      { numRuns: runs(4) },
    );
  });
});

describe("HOURLY counts on the days the clock changes", () => {
  it("in Europe/Berlin an hourly job fires 25 times on every fall-back day and 23 on every spring-forward day, 2020–2030", () => {
    const transitions = transitionsInSpan("Europe/Berlin");
    expect(transitions).toHaveLength(22);
    fc.assert(
      fc.property(arbMinuteOfHour, arbSecond, (minute, second) => {
        const trigger = hourly(minute, second, "Europe/Berlin");
        for (const t of transitions) {
          const count = firesOnDay(trigger, dayOf("Europe/Berlin", t)).length;
          expect(count, `on ${localDateOf("Europe/Berlin", t.at).toString()}`).toBe(t.after < t.before ? 25 : 23);
        }
      }),
      { numRuns: runs(8) },
    );
  });

  it.each(["America/New_York", "America/Santiago", "Pacific/Chatham"])(
    "in %s (whole-hour shifts) an hourly job fires once per real hour of the day: 23 or 25 times on each transition day",
    (zone) => {
      const transitions = transitionsInSpan(zone);
      fc.assert(
        fc.property(arbMinuteOfHour, arbSecond, (minute, second) => {
          const trigger = hourly(minute, second, zone);
          for (const t of transitions) {
            const day = dayOf(zone, t);
            expect(day.hours).toBe(t.after < t.before ? 25 : 23);
            expect(firesOnDay(trigger, day).length, `on ${localDateOf(zone, t.at).toString()}`).toBe(day.hours);
          }
        }),
        { numRuns: runs(5) },
      );
    },
  );

  it("in Australia/Lord_Howe (30-minute shift) an hourly job at minute ≥ 30 fires 25/24 times and spaces one pair 30 min apart; at minute < 30, 24/23 times and one pair 90 min apart", () => {
    const zone = "Australia/Lord_Howe";
    const transitions = transitionsInSpan(zone);
    expect(transitions.every((t) => Math.abs(t.after - t.before) === 30 * MINUTE)).toBe(true);
    fc.assert(
      fc.property(fc.constantFrom(...transitions), arbMinuteOfHour, arbSecond, (t, minute, second) => {
        const trigger = hourly(minute, second, zone);
        const fallBack = t.after < t.before;
        const late = minute >= 30;
        expect(firesOnDay(trigger, dayOf(zone, t)).length).toBe(fallBack ? (late ? 25 : 24) : late ? 24 : 23);
        const fires = engineFiresBetween(trigger, t.at - 6 * HOUR, t.at + 6 * HOUR);
        const spacings = fires.slice(1).map((fire, i) => (fire - (fires[i] ?? 0)) / MINUTE);
        const odd = spacings.filter((spacing) => spacing !== 60);
        expect(odd).toEqual([late ? 30 : 90]);
      }),
      { numRuns: runs(30) },
    );
  });

  it.each(["Asia/Kathmandu", "UTC"])(
    "in %s (one fixed offset) an hourly job fires exactly every 3600 s, at the UTC minute that shows its local minute",
    (zone) => {
      fc.assert(
        fc.property(arbReference(zone), arbMinuteOfHour, arbSecond, (reference, minute, second) => {
          const fires = engineFiresBetween(hourly(minute, second, zone), reference, reference + 30 * HOUR);
          expect(fires.length).toBeGreaterThanOrEqual(29);
          const offsetMinutes = offsetAt(zone, reference) / MINUTE;
          for (const [i, fire] of fires.entries()) {
            if (i > 0) expect(fire - (fires[i - 1] ?? 0)).toBe(HOUR);
            expect(new Date(fire).getUTCMinutes()).toBe((((minute - offsetMinutes) % 60) + 60) % 60);
            expect(new Date(fire).getUTCSeconds()).toBe(second);
          }
        }),
        { numRuns: runs(20) },
      );
    },
  );
});

describe("the oracle's premise", () => {
  it("every offset of the zones here, 2019–2031, is a whole number of minutes, so local seconds are UTC seconds", () => {
    for (const zone of ZONES) {
      for (const t of transitionsOf(zone)) {
        expect(Number.isInteger(t.before / MINUTE) && Number.isInteger(t.after / MINUTE), `${zone} at ${t.at}`).toBe(true);
      }
      expect(Number.isInteger(offsetAt(zone, Date.UTC(2024, 0, 1)) / MINUTE)).toBe(true);
    }
  });
});
