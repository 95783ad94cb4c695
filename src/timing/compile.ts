import { CronRule } from "./rules/cron.ts";
import { DailyRule, MonthlyRule, WeeklyRule } from "./rules/days.ts";
import { PeriodRule } from "./rules/period.ts";
import { nextWallClockFire } from "./search.ts";
import type { OnceSpec, TimingSpec } from "./spec.ts";
import { MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND, type Instant } from "./time.ts";
import { CalendarTrigger, IntervalTrigger, OnceTrigger, ScheduleKind, type Trigger } from "./trigger.ts";
import { describe } from "./describe.ts";
import type { Zone } from "./zone.ts";

/** Turns a parsed spec into a Trigger in `zone`. */
export function compile(spec: TimingSpec, expression: string, zone: Zone, cronRule?: CronRule): Trigger {
  const head = { kind: spec.kind, expression, description: describe(spec), zone };
  switch (spec.kind) {
    case "CYCLIC":
      return new IntervalTrigger(head, spec.interval);
    case "MINUTELY":
      return new CalendarTrigger(head, new PeriodRule(MS_PER_MINUTE, spec.second), "real-time");
    case "HOURLY":
      return new CalendarTrigger(
        head,
        new PeriodRule(MS_PER_HOUR, spec.minute * MS_PER_MINUTE + spec.second * MS_PER_SECOND),
        "real-time",
      );
    case "DAILY":
      return new CalendarTrigger(head, new DailyRule(spec.times), "wall-clock");
    case "WEEKLY":
      return new CalendarTrigger(head, new WeeklyRule(spec.weekdays, spec.times), "wall-clock");
    case "MONTHLY":
      return new CalendarTrigger(head, new MonthlyRule(spec.days, spec.times), "wall-clock");
    case "CRON": {
      const rule = cronRule ?? new CronRule(spec.pattern);
      return new CalendarTrigger(head, rule, rule.fixedTime ? "wall-clock" : "real-time");
    }
    case "ONCE":
      return new OnceTrigger({ ...head, kind: ScheduleKind.Once }, onceFire(spec, zone));
  }
}

function onceFire(spec: OnceSpec, zone: Zone): (anchor: Instant) => Instant | null {
  switch (spec.at) {
    case "delay":
      return (anchor) => anchor + spec.delay;
    case "next-reading": {
      const rule = spec.weekday === null ? new DailyRule([spec.time]) : new WeeklyRule([spec.weekday], [spec.time]);
      return (anchor) => nextWallClockFire(rule, zone, anchor);
    }
    case "local": {
      const instant = zone.resolve(spec.local).instant;
      return () => instant;
    }
    case "instant":
      return () => spec.instant;
  }
}
