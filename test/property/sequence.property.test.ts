/**
 * Properties every kind shares: the next fire lies strictly after the reference, iterating nextFire
 * climbs strictly, and no fire is skipped — over a window, the engine's walk lists exactly the fires
 * the oracle enumerates.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { engineFiresBetween, isoAll, triggerFor, runs } from "./agreement.ts";
import { DAY, iso, ZONES } from "./oracle.ts";
import { arbAnySchedule, arbReference } from "./schedules.ts";

describe.each(ZONES)("every kind in %s", (zone) => {
  it("iterating nextFire from a reference climbs strictly and yields exactly the oracle's fires in a window: none skipped, none extra", () => {
    fc.assert(
      fc.property(arbAnySchedule(zone), arbReference(zone), fc.integer({ min: 0, max: 3 * DAY }), (schedule, reference, sinceStart) => {
        const anchor = reference - sinceStart;
        const until = reference + schedule.window;
        const fires = engineFiresBetween(triggerFor(schedule), reference, until, anchor);
        const expected = schedule.firesBetween(reference, until, anchor);
        expect(isoAll(zone, fires), `${schedule.expression} in ${zone} after ${iso(zone, reference)}`).toEqual(isoAll(zone, expected));
      }),
      { numRuns: runs(25) },
    );
  });
});
