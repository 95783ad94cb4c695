import type { LocalRule } from "./rules/local-rule.ts";
import { nextRealTimeFire, nextWallClockFire } from "./search.ts";
import type { Instant } from "./time.ts";
import type { Zone } from "./zone.ts";

/** The kinds of schedule, as the live table and `orchestra next --json` name them. */
export const ScheduleKind = {
  Cyclic: "CYCLIC",
  Minutely: "MINUTELY",
  Hourly: "HOURLY",
  Daily: "DAILY",
  Weekly: "WEEKLY",
  Monthly: "MONTHLY",
  Cron: "CRON",
  Once: "ONCE",
} as const;

export type ScheduleKind = (typeof ScheduleKind)[keyof typeof ScheduleKind];

/**
 * A parsed timing expression in its zone: when a job fires. Pure: it never reads the clock, the
 * caller passes every instant.
 *
 * @example
 * const trigger = parseTiming("every Monday at 03:15", "Europe/Berlin");
 * const start = Date.parse("2024-03-03T07:36:47Z");
 * trigger.nextFire(start, start); // 2024-03-04T02:15:00Z, i.e. 03:15+01:00
 */
export interface Trigger {
  readonly kind: ScheduleKind;
  /** The expression as written. */
  readonly expression: string;
  /** IANA name of the zone whose wall clock calendar kinds follow. */
  readonly timezone: string;
  /** That zone: its offsets and wall-clock conversions. */
  readonly zone: Zone;
  /** A canonical rendering of the expression, e.g. `every Monday at 03:15:00`. */
  readonly description: string;
  /** True when the trigger fires at most once (ONCE). */
  readonly once: boolean;
  /**
   * The first fire strictly after `after`, or null when there is none. `anchor` is the instant the job's
   * schedule started: intervals count from it (`every 48:00:00`, `once in 5 hours`) and ONCE jobs at a
   * wall-clock time take the first such time after it; calendar kinds ignore it.
   */
  nextFire(after: Instant, anchor: Instant): Instant | null;
}

interface TriggerHead {
  readonly kind: ScheduleKind;
  readonly expression: string;
  readonly description: string;
  readonly zone: Zone;
}

abstract class BaseTrigger implements Trigger {
  readonly kind: ScheduleKind;
  readonly expression: string;
  readonly description: string;
  readonly zone: Zone;

  constructor(head: TriggerHead) {
    this.kind = head.kind;
    this.expression = head.expression;
    this.description = head.description;
    this.zone = head.zone;
  }

  get timezone(): string {
    return this.zone.name;
  }

  get once(): boolean {
    return this.kind === ScheduleKind.Once;
  }

  abstract nextFire(after: Instant, anchor: Instant): Instant | null;
}

/** Fires at anchor + k × interval (k ≥ 1): absolute elapsed time, phase kept from the anchor. */
export class IntervalTrigger extends BaseTrigger {
  constructor(
    head: TriggerHead,
    readonly interval: number,
  ) {
    super(head);
  }

  nextFire(after: Instant, anchor: Instant): Instant {
    const k = Math.max(1, Math.floor((after - anchor) / this.interval) + 1);
    return anchor + k * this.interval;
  }
}

/** How a rule's readings become instants: by the wall clock, or on real time. */
export type Clockwork = "wall-clock" | "real-time";

/** A recurring calendar trigger: a rule on the local clock plus the way it meets the zone. */
export class CalendarTrigger extends BaseTrigger {
  constructor(
    head: TriggerHead,
    readonly rule: LocalRule,
    readonly clockwork: Clockwork,
  ) {
    super(head);
  }

  nextFire(after: Instant): Instant | null {
    return this.clockwork === "wall-clock"
      ? nextWallClockFire(this.rule, this.zone, after)
      : nextRealTimeFire(this.rule, this.zone, after);
  }
}

/** Fires once: at the instant `fireFor(anchor)` names, if that is still after `after`. */
export class OnceTrigger extends BaseTrigger {
  constructor(
    head: TriggerHead,
    readonly fireFor: (anchor: Instant) => Instant | null,
  ) {
    super(head);
  }

  nextFire(after: Instant, anchor: Instant): Instant | null {
    const fire = this.fireFor(anchor);
    return fire !== null && fire > after ? fire : null;
  }
}
