/**
 * Interval kinds — CYCLIC and `once in …` — are absolute elapsed time from the start: the zone and its
 * DST changes play no part, and a CYCLIC job keeps its phase from the anchor.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTiming } from "../../src/index.ts";
import { expectSameNextFire, runs } from "./agreement.ts";
import { DAY, iso, ZONES } from "./oracle.ts";
import { arbCyclic, arbInterval, arbOnceIn, arbReference } from "./schedules.ts";

describe.each(ZONES)("interval kinds in %s", (zone) => {
  it("CYCLIC fires at the first anchor + k × interval (k ≥ 1) strictly after the reference, however far the reference lies from the anchor", () => {
    fc.assert(
      fc.property(
        arbCyclic(zone),
        arbReference(zone),
        fc.oneof(fc.integer({ min: -2 * DAY, max: 2 * DAY }), fc.integer({ min: -400 * DAY, max: 400 * DAY })),
        (schedule, reference, fromAnchor) => {
          expectSameNextFire(schedule, reference, reference - fromAnchor);
        },
      ),
      { numRuns: runs(60) },
    );
  });

  it("`once in <duration>` fires once, exactly that long after the start, and never again", () => {
    fc.assert(
      fc.property(arbOnceIn(zone), arbReference(zone), fc.integer({ min: 0, max: 10 * DAY }), (schedule, anchor, later) => {
        expectSameNextFire(schedule, anchor, anchor);
        expectSameNextFire(schedule, anchor + later, anchor);
      }),
      { numRuns: runs(40) },
    );
  });
});

describe("intervals ignore the zone", () => {
  it("the same CYCLIC expression has the same fires in every zone, also across DST changes", () => {
    fc.assert(
      fc.property(arbInterval, arbReference("Europe/Berlin"), fc.integer({ min: 0, max: 3 * DAY }), ({ text }, anchor, later) => {
        const fires = ZONES.map((zone) => parseTiming(`every ${text}`, zone).nextFire(anchor + later, anchor));
        expect(new Set(fires).size, `every ${text} from ${iso("UTC", anchor)}`).toBe(1);
      }),
      { numRuns: runs(50) },
    );
  });
});
