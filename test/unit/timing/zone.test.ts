import { describe, expect, it } from "vitest";
import { knownZoneNames, zoneFor } from "../../../src/index.ts";
import { at } from "../../support/time.ts";

/** The offset Intl reports directly, without the engine's cache: the reference the cache must agree with. */
const formats = new Map<string, Intl.DateTimeFormat>();

function intlOffset(zone: string, instant: number): number {
  let format = formats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
    });
    formats.set(zone, format);
  }
  const parts = format.formatToParts(instant);
  const field = (type: string): number => Number(parts.find((part) => part.type === type)?.value);
  const local = Date.UTC(field("year"), field("month") - 1, field("day"), field("hour"), field("minute"), field("second"));
  return local - Math.floor(instant / 1000) * 1000;
}

describe("the zone's cache of offset changes agrees with Intl", () => {
  const zones = ["Europe/Berlin", "America/New_York", "America/Santiago", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kathmandu", "Pacific/Apia", "Africa/Casablanca", "UTC"];

  it.each(zones)("%s at 4000 pseudo-random instants from 1950 to 2080", (name) => {
    const zone = zoneFor(name);
    let seed = 42;
    const from = at("1950-01-01T00:00:00Z");
    const span = at("2080-01-01T00:00:00Z") - from;
    for (let i = 0; i < 4000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const instant = from + Math.floor((seed / 2 ** 31) * span / 1000) * 1000;
      expect(zone.offsetAt(instant), `${name} at ${new Date(instant).toISOString()}`).toBe(intlOffset(name, instant));
    }
  });

  it("finds each transition to the second, on both sides", () => {
    const berlin = zoneFor("Europe/Berlin");
    expect(berlin.offsetAt(at("2024-03-31T00:59:59Z"))).toBe(3_600_000);
    expect(berlin.offsetAt(at("2024-03-31T01:00:00Z"))).toBe(7_200_000);
    const lordHowe = zoneFor("Australia/Lord_Howe");
    expect(lordHowe.offsetAt(at("2024-10-05T15:29:59Z"))).toBe(37_800_000);
    expect(lordHowe.offsetAt(at("2024-10-05T15:30:00Z"))).toBe(39_600_000);
    expect(lordHowe.recentTransition(at("2024-10-05T16:00:00Z"), 86_400_000)).toEqual({
      at: at("2024-10-05T15:30:00Z"),
      before: 37_800_000,
      after: 39_600_000,
    });
  });

  it("resolves wall-clock readings: exact, in a gap (moved forward), in a fold (earlier)", () => {
    const berlin = zoneFor("Europe/Berlin");
    expect(berlin.resolve(Date.UTC(2024, 5, 1, 12, 0))).toEqual({ instant: at("2024-06-01T10:00:00Z"), shiftedBy: 0 });
    expect(berlin.resolve(Date.UTC(2024, 2, 31, 2, 30))).toEqual({ instant: at("2024-03-31T01:30:00Z"), shiftedBy: 3_600_000 });
    expect(berlin.resolve(Date.UTC(2024, 9, 27, 2, 30))).toEqual({ instant: at("2024-10-27T00:30:00Z"), shiftedBy: 0 });
    // Samoa skipped 2011-12-30 entirely: its readings move forward by a whole day.
    const apia = zoneFor("Pacific/Apia");
    expect(apia.resolve(Date.UTC(2011, 11, 30, 9, 0)).shiftedBy).toBe(86_400_000);
  });

  it("knows every zone Intl lists, and UTC", () => {
    expect(knownZoneNames()).toContain("UTC");
    expect(knownZoneNames()).toContain("Europe/Berlin");
    expect(knownZoneNames().length).toBeGreaterThan(300);
  });
});
