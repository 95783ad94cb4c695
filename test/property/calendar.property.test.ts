/**
 * Wall-clock kinds — DAILY, WEEKLY, MONTHLY and ONCE at a reading or a date — against the Temporal
 * oracle, in every zone, from reference instants that crowd around DST transitions.
 */
import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { parseTiming } from "../../src/index.ts";
import { engineFiresBetween, expectSameNextFire, isoAll, triggerFor, runs } from "./agreement.ts";
import {
  DAY,
  HOUR,
  iso,
  localDateOf,
  offsetAt,
  SECOND,
  SPAN_END,
  SPAN_START,
  startOfDay,
  transitionsOf,
  wallClockInstant,
  ZONES,
  type TimeOfDay,
} from "./oracle.ts";
import {
  arbAtTransition,
  arbDaily,
  arbMonthly,
  arbOnceAtDate,
  arbOnceAtTime,
  arbOnceOnWeekday,
  arbReference,
  arbTimeOfDay,
  arbWeekly,
  pad,
  renderTime,
  TIME_STYLES,
  WEEKDAY_NAMES,
  weekdayIndex,
  type Schedule,
} from "./schedules.ts";

const RUNS = 40;

/** Every local date of a year, as YYYY-MM-DD. */
function datesOfYear(year: number): Temporal.PlainDate[] {
  const dates: Temporal.PlainDate[] = [];
  for (let date = new Temporal.PlainDate(year, 1, 1); date.year === year; date = date.add({ days: 1 })) dates.push(date);
  return dates;
}

/** The wall reading of `time` on `date` as if it were UTC: the spec's "wall clock" without a zone. */
const wallAsUtc = (date: Temporal.PlainDate, time: TimeOfDay): number =>
  Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute, time.second);

/** The first instant showing a reading; for a reading the clock skips, one that shows another. */
function earliest(zone: string, date: Temporal.PlainDate, time: TimeOfDay): Temporal.ZonedDateTime {
  return Temporal.ZonedDateTime.from(
    { timeZone: zone, year: date.year, month: date.month, day: date.day, ...time },
    { disambiguation: "earlier" },
  );
}

const shows = (zdt: Temporal.ZonedDateTime, time: TimeOfDay): boolean =>
  zdt.hour === time.hour && zdt.minute === time.minute && zdt.second === time.second;

/**
 * Fires over a whole local year, checked day by day: exactly one on each date in `expectedDates`, none
 * elsewhere; each at the first instant the clock shows `time` on its date, or — when the clock skips
 * that reading — at the instant the reading has with the offset from before the gap.
 */
function expectOncePerDay(schedule: Schedule, year: number, time: TimeOfDay, expectedDates: readonly Temporal.PlainDate[]): void {
  const { zone } = schedule;
  const trigger = triggerFor(schedule);
  const from = startOfDay(zone, new Temporal.PlainDate(year, 1, 1));
  const until = startOfDay(zone, new Temporal.PlainDate(year + 1, 1, 1)) - 1;
  const fires = engineFiresBetween(trigger, from - 1, until, from);
  const dates = fires.map((fire) => localDateOf(zone, fire));
  expect(dates.map(String), `${schedule.expression} in ${zone}, ${year}`).toEqual(expectedDates.map(String));
  fires.forEach((fire, i) => {
    const date = dates[i] ?? expect.unreachable();
    const context = `${schedule.expression} in ${zone} fired at ${iso(zone, fire)}`;
    const earlier = earliest(zone, date, time);
    if (shows(earlier, time)) {
      expect(iso(zone, fire), `${context}, not at the first instant showing the time`).toBe(iso(zone, earlier.epochMilliseconds));
    } else {
      expect(fire, `${context}: not the skipped reading moved forward by the gap`).toBe(wallAsUtc(date, time) - offsetAt(zone, fire - DAY));
    }
  });
}

describe.each(ZONES)("wall-clock kinds in %s", (zone) => {
  it("DAILY fires at the earliest of its wall-clock readings strictly after the reference (gap: moved forward; fold: earlier instant)", () => {
    fc.assert(
      fc.property(arbDaily(zone), arbReference(zone), (schedule, reference) => {
        expectSameNextFire(schedule, reference);
      }),
      { numRuns: runs(RUNS) },
    );
  });

  it("WEEKLY fires at the earliest of its readings on a listed weekday strictly after the reference", () => {
    fc.assert(
      fc.property(arbWeekly(zone), arbReference(zone), (schedule, reference) => {
        expectSameNextFire(schedule, reference);
      }),
      { numRuns: runs(RUNS) },
    );
  });

  it("MONTHLY fires on the listed days of each month (last day included; months without the day skipped)", () => {
    fc.assert(
      fc.property(arbMonthly(zone), arbReference(zone), (schedule, reference) => {
        expectSameNextFire(schedule, reference);
      }),
      { numRuns: runs(RUNS) },
    );
  });

  // Only zones whose clock changes have such readings (Asia/Kathmandu and UTC do not).
  if (arbAtTransition(zone) !== null) {
    it("DAILY, WEEKLY, MONTHLY, fixed-time CRON and ONCE readings in or beside a transition's window fire where the oracle says, from the day before to the fold's second pass", () => {
      const scenarios = arbAtTransition(zone) ?? expect.unreachable();
      fc.assert(
        fc.property(scenarios, ({ schedule, reference }) => {
          expectSameNextFire(schedule, reference);
          const until = reference + 2 * DAY;
          const fires = engineFiresBetween(triggerFor(schedule), reference, until);
          expect(isoAll(zone, fires), `${schedule.expression} in ${zone} after ${iso(zone, reference)}`).toEqual(
            isoAll(zone, schedule.firesBetween(reference, until, reference)),
          );
        }),
        { numRuns: runs(80) },
      );
    });
  }

  it("a DAILY job fires exactly once on every local day of a year, at its time or moved forward by a gap", () => {
    fc.assert(
      fc.property(arbTimeOfDay(zone), fc.constantFrom(...TIME_STYLES), fc.integer({ min: 2020, max: 2029 }), (time, style, year) => {
        const expression = `every day at ${renderTime(time, style)}`;
        expectOncePerDay(stub(expression, zone, "DAILY"), year, time, datesOfYear(year));
      }),
      { numRuns: runs(4) },
    );
  });

  it("a WEEKLY job fires exactly once on every matching local day of a year, and on no other day", () => {
    fc.assert(
      fc.property(
        arbTimeOfDay(zone),
        fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 2020, max: 2029 }),
        (time, days, year) => {
          const expression = `every ${days.map((day) => WEEKDAY_NAMES[day] ?? "").join(" and ")} at ${renderTime(time, "h:mm:ss")}`;
          const matching = datesOfYear(year).filter((date) => days.includes(weekdayIndex(date)));
          expectOncePerDay(stub(expression, zone, "WEEKLY"), year, time, matching);
        },
      ),
      { numRuns: runs(4) },
    );
  });

  it("ONCE at a time of day (`11:23:00`, `9:13`, `next 23:00:00`) fires at the next such reading after the start, then never", () => {
    fc.assert(
      fc.property(arbOnceAtTime(zone), arbReference(zone), fc.integer({ min: 0, max: 30 * HOUR }), (schedule, anchor, later) => {
        expectOnce(schedule, anchor, later);
      }),
      { numRuns: runs(RUNS) },
    );
  });

  it("ONCE on a weekday (`next Tuesday at 13:11:00`, `once on Thursday, 00:31:41`) fires at the next such reading, today if still ahead", () => {
    fc.assert(
      fc.property(arbOnceOnWeekday(zone), arbReference(zone), fc.integer({ min: 0, max: 8 * DAY }), (schedule, anchor, later) => {
        expectOnce(schedule, anchor, later);
      }),
      { numRuns: runs(RUNS) },
    );
  });

  it("ONCE at a date-time fires at that wall-clock reading (an explicit offset wins over the zone), and only if still ahead", () => {
    fc.assert(
      fc.property(arbOnceAtDate(zone), arbReference(zone), fc.integer({ min: 0, max: 30 * DAY }), (schedule, anchor, later) => {
        expectOnce(schedule, anchor, later);
      }),
      { numRuns: runs(RUNS) },
    );
  });
});

/** A ONCE job: the first fire from the start equals the oracle's; from any later reference before it the
 * same fire is due; once it has fired, nothing is. */
function expectOnce(schedule: Schedule, anchor: number, later: number): void {
  expectSameNextFire(schedule, anchor, anchor);
  expectSameNextFire(schedule, anchor + later, anchor);
  const trigger = triggerFor(schedule);
  const fire = trigger.nextFire(anchor, anchor);
  if (fire !== null) {
    expect(trigger.nextFire(fire, anchor), `${schedule.expression} fired twice`).toBeNull();
    expect(trigger.nextFire(fire - 1, anchor)).toBe(fire);
  }
}

/** A schedule known only by its expression, for properties that bring their own expectations. */
function stub(expression: string, zone: (typeof ZONES)[number], kind: Schedule["kind"]): Schedule {
  return {
    expression,
    zone,
    kind,
    window: 0,
    next: () => expect.unreachable(),
    firesBetween: () => expect.unreachable(),
    [fc.toStringMethod]: () => expression,
  };
}

describe("the DST rules, read literally from the spec (independent of Temporal's disambiguation)", () => {
  const zonesWithTransitions = ZONES.filter((zone) => transitionsOf(zone).some((t) => t.at >= SPAN_START && t.at < SPAN_END));

  it("every zone here except Asia/Kathmandu and UTC changes its offset in 2020–2030", () => {
    expect(zonesWithTransitions).toEqual(["Europe/Berlin", "America/New_York", "America/Santiago", "Australia/Lord_Howe", "Pacific/Chatham"]);
  });

  it.each(zonesWithTransitions)(
    "in %s a daily time the clock skips fires at the reading with the offset from before the gap; one it shows twice fires once, at the first",
    (zone) => {
      const transitions = transitionsOf(zone).filter((t) => t.at >= SPAN_START && t.at < SPAN_END);
      fc.assert(
        fc.property(fc.constantFrom(...transitions), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (t, fraction) => {
          // A wall reading inside the window the transition skips or repeats, as UTC-encoded local time.
          const windowStart = t.at + Math.min(t.before, t.after);
          const wall = windowStart + Math.floor((fraction * Math.abs(t.after - t.before)) / SECOND) * SECOND;
          const shown = new Date(wall);
          const time = { hour: shown.getUTCHours(), minute: shown.getUTCMinutes(), second: shown.getUTCSeconds() };
          const date = new Temporal.PlainDate(shown.getUTCFullYear(), shown.getUTCMonth() + 1, shown.getUTCDate());
          const expression = `every day at ${time.hour}:${pad(time.minute)}:${pad(time.second)}`;
          const expected = wall - t.before;
          // The oracle's reading of the spec agrees with the literal rule…
          expect(iso(zone, wallClockInstant(zone, date, time))).toBe(iso(zone, expected));
          // …and so does the engine, which fires that reading once only.
          const trigger = parseTiming(expression, zone);
          const fire = trigger.nextFire(t.at - 12 * HOUR, 0);
          expect(iso(zone, fire), `${expression} in ${zone}`).toBe(iso(zone, expected));
          const next = trigger.nextFire(expected, 0) ?? expect.unreachable();
          expect(localDateOf(zone, next).toString(), `${expression} in ${zone} fired twice on ${String(date)}`).not.toBe(date.toString());
        }),
        { numRuns: runs(30) },
      );
    },
  );
});
