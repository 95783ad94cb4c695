/**
 * CRON in a zone: a pattern whose second, minute and hour fields are fixed values names wall-clock
 * times (the DAILY/WEEKLY/MONTHLY oracle, DST rules included); one with `*` or a step there fires on
 * real time, at every instant whose local reading matches (the real-time oracle).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTiming } from "../../src/index.ts";
import { engineFiresBetween, expectSameNextFire, isoAll, triggerFor, runs } from "./agreement.ts";
import { DAY, ZONES } from "./oracle.ts";
import { arbFixedCron, arbNearTransition, arbReference, arbWildCron, renderTime, WEEKDAY_NAMES } from "./schedules.ts";

describe.each(ZONES)("CRON in %s", (zone) => {
  it("a fixed-time pattern (`M H * * *`, `S M H * * D`, `M H DOM * *`) fires at its next wall-clock reading like DAILY/WEEKLY/MONTHLY", () => {
    fc.assert(
      fc.property(arbFixedCron(zone), arbReference(zone), (schedule, reference) => {
        expectSameNextFire(schedule, reference);
      }),
      { numRuns: runs(40) },
    );
  });

  it("a pattern with `*` or a step in its minute or hour field fires at the next real instant whose local reading matches", () => {
    fc.assert(
      fc.property(arbWildCron(zone), arbReference(zone), (schedule, reference) => {
        expectSameNextFire(schedule, reference);
      }),
      { numRuns: runs(30) },
    );
  });

  it("a wildcard pattern lists, around a transition, exactly the real instants whose local reading matches", () => {
    fc.assert(
      fc.property(arbWildCron(zone), arbNearTransition(zone), (schedule, reference) => {
        const until = reference + schedule.window;
        const fires = engineFiresBetween(triggerFor(schedule), reference, until);
        const expected = schedule.firesBetween(reference, until, reference);
        expect(isoAll(zone, fires), `${schedule.expression} in ${zone}`).toEqual(isoAll(zone, expected));
      }),
      { numRuns: runs(10) },
    );
  });

  it("`M H * * D` and `every <weekday> at H:M` fire at the same instants", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 6 }),
        arbReference(zone),
        (minute, hour, day, reference) => {
          const cron = parseTiming(`${minute} ${hour} * * ${day}`, zone);
          const time = renderTime({ hour, minute, second: 0 }, "h:mm");
          const phrase = parseTiming(`every ${WEEKDAY_NAMES[day] ?? ""} at ${time}`, zone);
          const until = reference + 22 * DAY;
          const cronFires = engineFiresBetween(cron, reference, until);
          expect(isoAll(zone, cronFires)).toEqual(isoAll(zone, engineFiresBetween(phrase, reference, until)));
          expect(cronFires.length).toBeGreaterThanOrEqual(3);
        },
      ),
      { numRuns: runs(20) },
    );
  });
});
