/** Puts the engine next to the oracle: shared assertions of the property files. */
import { expect } from "vitest";
import { parseTiming, type Trigger } from "../../src/index.ts";
import { iso } from "./oracle.ts";
import type { Schedule } from "./schedules.ts";

/** The engine's trigger for a generated schedule; its kind must be the one the spec names. */
export function triggerFor(schedule: Schedule): Trigger {
  const trigger = parseTiming(schedule.expression, schedule.zone);
  expect(trigger.kind, `kind of ${JSON.stringify(schedule.expression)}`).toBe(schedule.kind);
  return trigger;
}

/** The engine's next fire equals the oracle's, and lies strictly after the reference. */
export function expectSameNextFire(schedule: Schedule, after: number, anchor = after): void {
  const { zone, expression } = schedule;
  const got = triggerFor(schedule).nextFire(after, anchor);
  const expected = schedule.next(after, anchor);
  expect(iso(zone, got), `${JSON.stringify(expression)} in ${zone} after ${iso(zone, after)} (anchor ${iso(zone, anchor)})`).toBe(
    iso(zone, expected),
  );
  if (got !== null) expect(got).toBeGreaterThan(after);
}

/**
 * The engine's fires in (after, until], found by iterating nextFire from `after`. Each must lie
 * strictly after the one before (the first strictly after `after`), or the walk fails.
 */
export function engineFiresBetween(trigger: Trigger, after: number, until: number, anchor = after, limit = 10_000): number[] {
  const fires: number[] = [];
  let previous = after;
  for (let fire = trigger.nextFire(after, anchor); fire !== null && fire <= until; fire = trigger.nextFire(fire, anchor)) {
    expect(fire, `${trigger.expression}: nextFire(${previous}) must be strictly after it`).toBeGreaterThan(previous);
    fires.push(fire);
    previous = fire;
    if (fires.length > limit) throw new Error(`${trigger.expression}: more than ${limit} fires before ${until}`);
  }
  return fires;
}

export const isoAll = (zone: string, instants: readonly number[]): string[] => instants.map((instant) => iso(zone, instant));

/**
 * numRuns for a property, scaled by PROPERTY_RUNS_SCALE (default 1; e.g. 20 for a long bug hunt).
 * The defaults keep the whole property suite near ten seconds on two cores.
 */
export function runs(numRuns: number): number {
  const scale = Number(process.env.PROPERTY_RUNS_SCALE ?? "1");
  return Math.max(1, Math.round(numRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}
