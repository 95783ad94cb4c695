import type { LocalRule } from "./rules/local-rule.ts";
import { MS_PER_DAY, type Instant, type LocalTime } from "./time.ts";
import type { Zone } from "./zone.ts";

/**
 * Next fire of a wall-clock rule (DAILY, WEEKLY, MONTHLY, fixed-time CRON, ONCE at a time): each
 * matching reading of the clock fires once. A reading that occurs twice (fall-back) fires at its
 * earlier instant; one that does not occur (spring-forward) fires moved forward by the gap.
 * Strictly after `after`. The cost is a handful of rule steps, however far ahead the fire lies.
 */
export function nextWallClockFire(rule: LocalRule, zone: Zone, after: Instant): Instant | null {
  const local = zone.localAt(after);
  const transition = zone.recentTransition(after, MS_PER_DAY);
  let from = local;
  if (transition !== null && transition.before > transition.after) {
    // In the second pass through a fold, readings up to the fold's end already fired at their first pass.
    from = Math.max(local, transition.at + transition.before);
  }
  let best = firstWallClockFire(rule, zone, from - 1, after);
  if (transition !== null && transition.before < transition.after) {
    // Readings inside a gap just behind us fire pushed forward, so they may still be ahead of `after`.
    const gapEnd = transition.at + transition.after;
    const inGap = rule.nextLocal(after + transition.before);
    if (inGap !== null && inGap < gapEnd) {
      const instant = inGap - transition.before;
      if (best === null || instant < best) best = instant;
    }
  }
  return best;
}

function firstWallClockFire(rule: LocalRule, zone: Zone, fromLocal: LocalTime, after: Instant): Instant | null {
  for (let candidate = rule.nextLocal(fromLocal); candidate !== null; candidate = rule.nextLocal(candidate)) {
    const { instant, shiftedBy } = zone.resolve(candidate);
    if (instant <= after) continue;
    if (shiftedBy === 0) return instant;
    // A reading pushed out of a gap lands after the first real readings that follow the gap;
    // one of those may match too and then fires first.
    const transition = zone.recentTransition(instant, MS_PER_DAY);
    const gapEnd = transition === null ? candidate : transition.at + transition.after;
    const real = rule.nextLocal(Math.max(candidate, gapEnd - 1));
    if (real !== null && real < candidate + shiftedBy) {
      const realInstant = zone.resolve(real).instant;
      if (realInstant > after && realInstant < instant) return realInstant;
    }
    return instant;
  }
  return null;
}

/**
 * Next fire of a real-time rule (MINUTELY, HOURLY, wildcard CRON): every real instant whose local
 * reading matches fires, so an hourly job fires 25 times on a fall-back day and 23 on a
 * spring-forward day. Walks the zone's stretches of constant offset; strictly after `after`.
 */
export function nextRealTimeFire(rule: LocalRule, zone: Zone, after: Instant): Instant | null {
  let segment = zone.segmentAt(after);
  let from = after;
  // When the next match of this stretch's clock falls past its end, the next stretch's clock decides.
  for (;;) {
    const candidate = rule.nextLocal(from + segment.offset);
    if (candidate === null) return null;
    const instant = candidate - segment.offset;
    if (instant < segment.end) return instant;
    from = segment.end - 1;
    segment = zone.segmentAt(segment.end);
  }
}
