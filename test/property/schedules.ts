/**
 * fast-check generators: reference instants (uniform over 2020–2030, or within two days of one of the
 * zone's DST transitions), times of day (uniform, or near the local readings where the zone's clock
 * jumps), and schedules: a phrase or cron pattern rendered from generated values, paired with what the
 * oracle says it means.
 */
import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import {
  cyclicFiresBetween,
  DAY,
  HOUR,
  MINUTE,
  nextCyclicFire,
  nextRealTimeFire,
  nextWallClockFire,
  realTimeFiresBetween,
  SECOND,
  SPAN_END,
  SPAN_START,
  transitionsOf,
  wallClockFiresBetween,
  wallClockInstant,
  type Reading,
  type RealTimeRule,
  type TimeOfDay,
  type WallClockRule,
  type ZoneName,
} from "./oracle.ts";

export type Kind = "CYCLIC" | "MINUTELY" | "HOURLY" | "DAILY" | "WEEKLY" | "MONTHLY" | "CRON" | "ONCE";

/** A generated expression and what the oracle says it means. */
export interface Schedule {
  readonly expression: string;
  readonly zone: ZoneName;
  readonly kind: Kind;
  /** The oracle's first fire strictly after `after`, for a schedule that started at `anchor`. */
  next(after: number, anchor: number): number | null;
  /** The oracle's fires in (after, until], ascending. */
  firesBetween(after: number, until: number, anchor: number): number[];
  /** How long a stretch of fires the general properties list (kept cheap for the oracle). */
  readonly window: number;
  [fc.toStringMethod](): string;
}

function show(expression: string, zone: string): () => string {
  return () => `${JSON.stringify(expression)} in ${zone}`;
}

export function wallClockSchedule(expression: string, zone: ZoneName, kind: Kind, rule: WallClockRule, window = 4 * DAY): Schedule {
  return {
    expression,
    zone,
    kind,
    window,
    next: (after) => nextWallClockFire(zone, rule, after),
    firesBetween: (after, until) => wallClockFiresBetween(zone, rule, after, until),
    [fc.toStringMethod]: show(expression, zone),
  };
}

export function realTimeSchedule(expression: string, zone: ZoneName, kind: Kind, rule: RealTimeRule, window = 5 * HOUR): Schedule {
  return {
    expression,
    zone,
    kind,
    window,
    next: (after) => nextRealTimeFire(zone, rule, after),
    firesBetween: (after, until) => realTimeFiresBetween(zone, rule, after, until),
    [fc.toStringMethod]: show(expression, zone),
  };
}

/** A ONCE schedule whose single fire depends only on the anchor (the instant the schedule started). */
function onceSchedule(expression: string, zone: ZoneName, fireFor: (anchor: number) => number | null): Schedule {
  const next = (after: number, anchor: number): number | null => {
    const fire = fireFor(anchor);
    return fire !== null && fire > after ? fire : null;
  };
  return {
    expression,
    zone,
    kind: "ONCE",
    window: 10 * DAY,
    next,
    firesBetween: (after, until, anchor) => {
      const fire = next(after, anchor);
      return fire !== null && fire <= until ? [fire] : [];
    },
    [fc.toStringMethod]: show(expression, zone),
  };
}

// ── Reference instants ─────────────────────────────────────────────────────────────────────────────

export const arbUniformInstant: fc.Arbitrary<number> = fc.integer({ min: SPAN_START, max: SPAN_END - 1 });

/** Within ±2 days of one of the zone's transitions in 2020–2030 (uniform where the zone has none). */
export function arbNearTransition(zone: string): fc.Arbitrary<number> {
  const transitions = transitionsOf(zone).filter((t) => t.at >= SPAN_START && t.at < SPAN_END);
  if (transitions.length === 0) return arbUniformInstant;
  return fc
    .tuple(
      fc.constantFrom(...transitions),
      // Mostly the day before (a daily reading then falls on the transition) or right around it.
      fc.oneof(fc.integer({ min: -2 * DAY, max: 2 * DAY }), fc.integer({ min: -30 * HOUR, max: 3 * HOUR }), fc.integer({ min: -2 * HOUR, max: 2 * HOUR })),
    )
    .map(([transition, delta]) => transition.at + delta);
}

/** A reference instant: near a transition twice as often as uniform, at ms, s, min, ¼ h or h precision
 * (the coarse ones land exactly on fires and transitions, where "strictly after" matters). */
export function arbReference(zone: string): fc.Arbitrary<number> {
  return fc
    .tuple(
      fc.oneof({ weight: 1, arbitrary: arbUniformInstant }, { weight: 2, arbitrary: arbNearTransition(zone) }),
      fc.constantFrom(1, SECOND, MINUTE, 15 * MINUTE, HOUR),
    )
    .map(([instant, precision]) => Math.floor(instant / precision) * precision);
}

// ── Times of day and their spellings ───────────────────────────────────────────────────────────────

/** Local minutes-of-day where the zone's clock jumps: the readings just before and after each transition. */
function transitionWallMinutes(zone: string): number[] {
  const minutes = new Set<number>();
  for (const t of transitionsOf(zone)) {
    for (const offset of [t.before, t.after]) minutes.add((((t.at + offset) / MINUTE) % 1440 + 1440) % 1440);
  }
  return [...minutes];
}

const arbSecond = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 59 }));

const arbUniformTime: fc.Arbitrary<TimeOfDay> = fc.record({
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.oneof(fc.constantFrom(0, 15, 30, 45), fc.integer({ min: 0, max: 59 })),
  second: arbSecond,
});

/** A time of day: uniform, or within 90 minutes of a reading where the zone's clock jumps (gaps and folds). */
export function arbTimeOfDay(zone: string): fc.Arbitrary<TimeOfDay> {
  const jumps = transitionWallMinutes(zone);
  if (jumps.length === 0) return arbUniformTime;
  const near = fc
    .tuple(fc.constantFrom(...jumps), fc.oneof(fc.integer({ min: -90, max: 90 }), fc.integer({ min: -5, max: 65 })), arbSecond)
    .map(([base, delta, second]) => {
      const minuteOfDay = (((base + delta) % 1440) + 1440) % 1440;
      return { hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60, second };
    });
  return fc.oneof(arbUniformTime, near);
}

export function secondsOfDay(time: TimeOfDay): number {
  return time.hour * 3600 + time.minute * 60 + time.second;
}

export function arbTimes(zone: string, maxLength = 3): fc.Arbitrary<TimeOfDay[]> {
  return fc.uniqueArray(arbTimeOfDay(zone), { minLength: 1, maxLength, selector: secondsOfDay });
}

export const pad = (value: number): string => String(value).padStart(2, "0");

/** Ways of writing a time of day; styles that cannot show the time fall back to H:MM:SS. */
export const TIME_STYLES = ["h:mm:ss", "hh:mm:ss", "h:mm", "h", "h hours", "am/pm"] as const;
export type TimeStyle = (typeof TIME_STYLES)[number];

export function renderTime(time: TimeOfDay, style: TimeStyle): string {
  const { hour, minute, second } = time;
  const full = `${hour}:${pad(minute)}:${pad(second)}`;
  switch (style) {
    case "h:mm:ss":
      return full;
    case "hh:mm:ss":
      return `${pad(hour)}:${pad(minute)}:${pad(second)}`;
    case "h:mm":
      return second === 0 ? `${hour}:${pad(minute)}` : full;
    case "h":
      return second === 0 && minute === 0 ? `${hour}` : full;
    case "h hours":
      return second === 0 && minute === 0 ? `${hour} hours` : full;
    case "am/pm": {
      if (second !== 0) return full;
      const twelve = hour % 12 === 0 ? 12 : hour % 12;
      const suffix = hour < 12 ? "am" : "pm";
      return minute === 0 ? `${twelve}${suffix}` : `${twelve}:${pad(minute)} ${suffix}`;
    }
  }
}

/** `a`, `a and b`, `a, b and c` or `a, b, c`. */
function joinList(items: readonly string[], withAnd: boolean): string {
  if (items.length <= 1) return items.join("");
  if (!withAnd) return items.join(", ");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1) ?? ""}`;
}

const arbTimesText = (zone: string): fc.Arbitrary<{ times: TimeOfDay[]; text: string }> =>
  fc
    .tuple(arbTimes(zone), fc.array(fc.constantFrom(...TIME_STYLES), { minLength: 3, maxLength: 3 }), fc.constantFrom("at", "on"))
    .map(([times, styles, preposition]) => ({
      times,
      text: `${preposition} ${joinList(
        times.map((time, i) => renderTime(time, styles[i] ?? "h:mm:ss")),
        true,
      )}`,
    }));

// ── DAILY, WEEKLY, MONTHLY ─────────────────────────────────────────────────────────────────────────

const MIDNIGHT: TimeOfDay = { hour: 0, minute: 0, second: 0 };
const everyDay = (): boolean => true;

export function arbDaily(zone: ZoneName): fc.Arbitrary<Schedule> {
  return fc.oneof(
    { weight: 9, arbitrary: arbTimesText(zone).map(({ times, text }) => wallClockSchedule(`every day ${text}`, zone, "DAILY", { onDate: everyDay, times })) },
    { weight: 1, arbitrary: fc.constant(wallClockSchedule("every day", zone, "DAILY", { onDate: everyDay, times: [MIDNIGHT] })) },
  );
}

/** Weekday names, index 0 = Sunday as in cron; Temporal's dayOfWeek is 1 = Monday … 7 = Sunday. */
export const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

export function weekdayIndex(date: { readonly dayOfWeek: number }): number {
  return date.dayOfWeek % 7;
}

function renderWeekday(day: number, style: "full" | "short" | "lower" | "upper"): string {
  const name = WEEKDAY_NAMES[day] ?? "";
  switch (style) {
    case "full":
      return name;
    case "short":
      return name.slice(0, 3);
    case "lower":
      return name.toLowerCase();
    case "upper":
      return name.toUpperCase();
  }
}

const arbWeekdays = fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 4 });
const arbWeekdayStyle = fc.constantFrom("full" as const, "short" as const, "lower" as const, "upper" as const);

export function arbWeekly(zone: ZoneName): fc.Arbitrary<Schedule> {
  const named = fc
    .tuple(arbWeekdays, arbWeekdayStyle, fc.boolean(), arbTimesText(zone))
    .map(([days, style, withAnd, { times, text }]) => {
      const set = new Set(days);
      const expression = `every ${joinList(
        days.map((day) => renderWeekday(day, style)),
        withAnd,
      )} ${text}`;
      return wallClockSchedule(expression, zone, "WEEKLY", { onDate: (date) => set.has(weekdayIndex(date)), times }, 9 * DAY);
    });
  const grouped = fc.tuple(fc.constantFrom("weekday", "weekend"), arbTimesText(zone)).map(([group, { times, text }]) => {
    const set = new Set(group === "weekday" ? [1, 2, 3, 4, 5] : [0, 6]);
    return wallClockSchedule(`every ${group} ${text}`, zone, "WEEKLY", { onDate: (date) => set.has(weekdayIndex(date)), times }, 9 * DAY);
  });
  return fc.oneof({ weight: 4, arbitrary: named }, { weight: 1, arbitrary: grouped });
}

export function ordinal(day: number): string {
  const tens = Math.floor(day / 10) % 10;
  const suffix = tens === 1 ? "th" : (["th", "st", "nd", "rd"][day % 10] ?? "th");
  return `${day}${suffix}`;
}

/** 0 stands for the last day of the month. */
const arbMonthDays = fc.uniqueArray(fc.oneof(fc.integer({ min: 1, max: 31 }), fc.constantFrom(0, 29, 30, 31)), {
  minLength: 1,
  maxLength: 3,
});

export function monthDayRule(days: readonly number[]): (date: Temporal.PlainDate) => boolean {
  return (date) => days.some((day) => (day === 0 ? date.day === date.daysInMonth : date.day === day));
}

export function arbMonthly(zone: ZoneName): fc.Arbitrary<Schedule> {
  return fc.tuple(arbMonthDays, arbTimesText(zone)).map(([days, { times, text }]) => {
    const names = days.map((day) => (day === 0 ? "the last day" : `the ${ordinal(day)}`));
    return wallClockSchedule(`every month on ${joinList(names, true)} ${text}`, zone, "MONTHLY", { onDate: monthDayRule(days), times }, 70 * DAY);
  });
}

// ── MINUTELY, HOURLY ───────────────────────────────────────────────────────────────────────────────

export function minutelyRule(second: number): RealTimeRule {
  return { seconds: [second], matches: (reading) => reading.second === second };
}

export function hourlyRule(minute: number, second: number): RealTimeRule {
  return { seconds: [second], matches: (reading) => reading.minute === minute && reading.second === second };
}

export function arbMinutely(zone: ZoneName): fc.Arbitrary<Schedule> {
  return fc
    .tuple(fc.integer({ min: 0, max: 59 }), fc.constantFrom("at N seconds", "at second N", "bare"))
    .map(([second, form]) => {
      if (form === "bare") return realTimeSchedule("every minute", zone, "MINUTELY", minutelyRule(0), 2 * HOUR);
      const expression = form === "at N seconds" ? `every minute at ${second} seconds` : `every minute at second ${second}`;
      return realTimeSchedule(expression, zone, "MINUTELY", minutelyRule(second), 2 * HOUR);
    });
}

/** Minutes near 0, 15, 30 and 45 matter most: the 30- and 45-minute offsets and shifts cut hours there. */
export const arbMinuteOfHour = fc.oneof(
  fc.integer({ min: 0, max: 59 }),
  fc.tuple(fc.constantFrom(0, 15, 30, 45), fc.integer({ min: -1, max: 1 })).map(([m, d]) => (m + d + 60) % 60),
);

export function arbHourly(zone: ZoneName): fc.Arbitrary<Schedule> {
  return fc.tuple(arbMinuteOfHour, arbSecond, fc.constantFrom("MM:SS", "bare")).map(([minute, second, form]) =>
    form === "bare"
      ? realTimeSchedule("every hour", zone, "HOURLY", hourlyRule(0, 0))
      : realTimeSchedule(`every hour at ${pad(minute)}:${pad(second)}`, zone, "HOURLY", hourlyRule(minute, second)),
  );
}

// ── CYCLIC ─────────────────────────────────────────────────────────────────────────────────────────

interface IntervalParts {
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

const msOf = (p: IntervalParts): number => p.days * DAY + p.hours * HOUR + p.minutes * MINUTE + p.seconds * SECOND;

/** `5 hours 2 minutes and 15 seconds`, `1 hour and 10 minutes`, `17 seconds`. */
function renderWords(p: IntervalParts, withAnd: boolean): string {
  const parts: string[] = [];
  for (const [amount, unit] of [
    [p.days, "day"],
    [p.hours, "hour"],
    [p.minutes, "minute"],
    [p.seconds, "second"],
  ] as const) {
    if (amount > 0) parts.push(`${amount} ${unit}${amount === 1 ? "" : "s"}`);
  }
  if (parts.length === 1 || !withAnd) return parts.join(" ");
  return `${parts.slice(0, -1).join(" ")} and ${parts.at(-1) ?? ""}`;
}

/** An interval and a way of writing it: `H:MM:SS` (hours may exceed 23) or in words. */
export const arbInterval: fc.Arbitrary<{ ms: number; text: string }> = fc
  .tuple(
    fc.record({
      days: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3 })),
      hours: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 49 })),
      minutes: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 59 })),
      seconds: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 59 })),
    }),
    fc.constantFrom("clock", "words", "words-and"),
  )
  .filter(([parts]) => msOf(parts) > 0)
  .map(([parts, form]) => {
    const ms = msOf(parts);
    if (form === "clock") {
      const hours = parts.days * 24 + parts.hours;
      return { ms, text: `${hours}:${pad(parts.minutes)}:${pad(parts.seconds)}` };
    }
    return { ms, text: renderWords(parts, form === "words-and") };
  });

export function cyclicSchedule(expression: string, zone: ZoneName, interval: number): Schedule {
  return {
    expression,
    zone,
    kind: "CYCLIC",
    window: Math.min(30 * interval, 60 * DAY),
    next: (after, anchor) => nextCyclicFire(anchor, interval, after),
    firesBetween: (after, until, anchor) => cyclicFiresBetween(anchor, interval, after, until),
    [fc.toStringMethod]: show(expression, zone),
  };
}

export function arbCyclic(zone: ZoneName): fc.Arbitrary<Schedule> {
  return arbInterval.map(({ ms, text }) => cyclicSchedule(`every ${text}`, zone, ms));
}

// ── ONCE ───────────────────────────────────────────────────────────────────────────────────────────

/** `once in 13:11:52`, `once in 5 hours 2 minutes and 15 seconds`: anchor + delay. */
export function arbOnceIn(zone: ZoneName): fc.Arbitrary<Schedule> {
  return arbInterval.map(({ ms, text }) => onceSchedule(`once in ${text}`, zone, (anchor) => anchor + ms));
}

/** `11:23:00`, `9:13`, `next 23:00:00`: the first time the wall clock shows it after the start. */
export function arbOnceAtTime(zone: ZoneName): fc.Arbitrary<Schedule> {
  return fc
    .tuple(arbTimeOfDay(zone), fc.constantFrom("h:mm:ss" as const, "hh:mm:ss" as const, "h:mm" as const), fc.constantFrom("", "next ", "once at "))
    .map(([time, style, lead]) => {
      const text = style === "h:mm" && time.second !== 0 ? renderTime(time, "h:mm:ss") : renderTime(time, style);
      const rule: WallClockRule = { onDate: everyDay, times: [time] };
      return onceSchedule(`${lead}${text}`, zone, (anchor) => nextWallClockFire(zone, rule, anchor));
    });
}

/** `next Tuesday at 13:11:00`, `once, Wednesday at 01:15:00`, `once on Thursday, 00:31:41`. */
export function arbOnceOnWeekday(zone: ZoneName): fc.Arbitrary<Schedule> {
  return fc
    .tuple(fc.integer({ min: 0, max: 6 }), arbWeekdayStyle, arbTimeOfDay(zone), fc.constantFrom("next {D} at {T}", "once, {D} at {T}", "once on {D}, {T}"))
    .map(([day, style, time, form]) => {
      const name = renderWeekday(day, style);
      const text = renderTime(time, "h:mm:ss");
      const expression = form.replace("{D}", name).replace("{T}", text);
      const rule: WallClockRule = { onDate: (date) => weekdayIndex(date) === day, times: [time] };
      return onceSchedule(expression, zone, (anchor) => nextWallClockFire(zone, rule, anchor));
    });
}

/** A local date-time, often one the zone's clock skips or shows twice. */
export function arbLocalDateTime(zone: string): fc.Arbitrary<Temporal.PlainDateTime> {
  const uniform = arbUniformInstant.map((instant) => Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO("UTC").toPlainDateTime());
  const transitions = transitionsOf(zone).filter((t) => t.at >= SPAN_START && t.at < SPAN_END);
  if (transitions.length === 0) return uniform.map((dt) => dt.round({ smallestUnit: "second", roundingMode: "floor" }));
  // The wall reading at the transition (in the old offset), moved by up to ±3 hours of wall time.
  const near = fc
    .tuple(fc.constantFrom(...transitions), fc.integer({ min: -180, max: 180 }), arbSecond)
    .map(([t, minutes, second]) =>
      Temporal.Instant.fromEpochMilliseconds(t.at + t.before)
        .toZonedDateTimeISO("UTC")
        .toPlainDateTime()
        .add({ minutes })
        .with({ second }),
    );
  return fc.oneof(uniform, near).map((dt) => dt.round({ smallestUnit: "second", roundingMode: "floor" }));
}

/** `2023-04-01 09:13`, `2023-04-01 09:13:11`, `2026-12-01T09:00:00`, `2026-12-01T09:00:00+01:00`, `…Z`. */
export function arbOnceAtDate(zone: ZoneName): fc.Arbitrary<Schedule> {
  const offset = fc.tuple(fc.integer({ min: -12, max: 14 }), fc.constantFrom(0, 30, 45)).map(([h, m]) => (h < 0 ? -1 : 1) * (Math.abs(h) * 60 + (h === 14 ? 0 : m)));
  return fc
    .tuple(arbLocalDateTime(zone), fc.constantFrom("space", "T", "T+offset", "TZ"), offset)
    .map(([dt, form, offsetMinutes]) => {
      const date = `${dt.year}-${pad(dt.month)}-${pad(dt.day)}`;
      const time: TimeOfDay = { hour: dt.hour, minute: dt.minute, second: dt.second };
      const local = wallClockInstant(zone, dt.toPlainDate(), time);
      if (form === "space") {
        const text = dt.second === 0 ? `${date} ${pad(dt.hour)}:${pad(dt.minute)}` : `${date} ${renderTime(time, "hh:mm:ss")}`;
        return onceSchedule(text, zone, () => local);
      }
      const isoLocal = `${date}T${renderTime(time, "hh:mm:ss")}`;
      if (form === "T") return onceSchedule(isoLocal, zone, () => local);
      if (form === "TZ") {
        const utc = Temporal.Instant.from(`${isoLocal}Z`).epochMilliseconds;
        return onceSchedule(`${isoLocal}Z`, zone, () => utc);
      }
      const sign = offsetMinutes < 0 ? "-" : "+";
      const abs = Math.abs(offsetMinutes);
      const suffix = `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
      // An explicit offset wins over the zone: Temporal reads the instant from the string alone.
      const instant = Temporal.Instant.from(`${isoLocal}${suffix}`).epochMilliseconds;
      return onceSchedule(`${isoLocal}${suffix}`, zone, () => instant);
    });
}

// ── CRON ───────────────────────────────────────────────────────────────────────────────────────────

const CRON_DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;

/** A day-of-week field and the weekdays (0 = Sunday) it names. */
export const arbCronWeekdays: fc.Arbitrary<{ text: string; days: ReadonlySet<number> }> = fc.oneof(
  fc.tuple(arbWeekdays, fc.constantFrom("numbers", "names", "seven")).map(([days, form]) => ({
    text: [...days]
      .sort((a, b) => a - b)
      .map((day) => (form === "names" ? CRON_DAYS[day] ?? "" : form === "seven" && day === 0 ? "7" : String(day)))
      .join(","),
    days: new Set(days),
  })),
  fc.constantFrom(
    { text: "1-5", days: new Set([1, 2, 3, 4, 5]) },
    { text: "MON-FRI", days: new Set([1, 2, 3, 4, 5]) },
    { text: "0,6", days: new Set([0, 6]) },
  ),
);

/**
 * A cron pattern whose second, minute and hour fields are fixed values (single values or lists): it
 * names wall-clock times, so it must mean exactly what a DAILY, WEEKLY or MONTHLY phrase would.
 */
export function arbFixedCron(zone: ZoneName): fc.Arbitrary<Schedule> {
  const values = (max: number): fc.Arbitrary<number[]> =>
    fc.uniqueArray(fc.integer({ min: 0, max }), { minLength: 1, maxLength: 2 }).map((list) => [...list].sort((a, b) => a - b));
  const days = fc.oneof(
    { weight: 3, arbitrary: fc.constant({ kind: "every day" as const }) },
    { weight: 3, arbitrary: arbCronWeekdays.map((weekdays) => ({ kind: "weekdays" as const, ...weekdays })) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 31 }).map((day) => ({ kind: "month day" as const, day })) },
  );
  const patterns = fc
    .tuple(
      fc.option(values(59), { freq: 3 }),
      fc.oneof(values(59), arbTimes(zone, 2).map((times) => [...new Set(times.map((t) => t.minute))].sort((a, b) => a - b))),
      fc.oneof(values(23), arbTimes(zone, 2).map((times) => [...new Set(times.map((t) => t.hour))].sort((a, b) => a - b))),
      days,
    )
    .map(([seconds, minutes, hours, day]) => {
      const times: TimeOfDay[] = [];
      for (const hour of hours) for (const minute of minutes) for (const second of seconds ?? [0]) times.push({ hour, minute, second });
      const dateFields =
        day.kind === "every day" ? "* * *" : day.kind === "weekdays" ? `* * ${day.text}` : `${day.day} * *`;
      const onDate =
        day.kind === "every day"
          ? everyDay
          : day.kind === "weekdays"
            ? (date: Temporal.PlainDate) => day.days.has(weekdayIndex(date))
            : (date: Temporal.PlainDate) => date.day === day.day;
      const timeFields = `${seconds === null ? "" : `${seconds.join(",")} `}${minutes.join(",")} ${hours.join(",")}`;
      return wallClockSchedule(`${timeFields} ${dateFields}`, zone, "CRON", { onDate, times }, day.kind === "month day" ? 70 * DAY : 9 * DAY);
    });
  const midnight = [MIDNIGHT];
  const nicknames = fc.constantFrom(
    wallClockSchedule("@daily", zone, "CRON", { onDate: everyDay, times: midnight }),
    wallClockSchedule("@midnight", zone, "CRON", { onDate: everyDay, times: midnight }),
    wallClockSchedule("@weekly", zone, "CRON", { onDate: (date) => weekdayIndex(date) === 0, times: midnight }, 15 * DAY),
    wallClockSchedule("@monthly", zone, "CRON", { onDate: (date) => date.day === 1, times: midnight }, 65 * DAY),
    wallClockSchedule("@yearly", zone, "CRON", { onDate: (date) => date.day === 1 && date.month === 1, times: midnight }, 400 * DAY),
    wallClockSchedule("@annually", zone, "CRON", { onDate: (date) => date.day === 1 && date.month === 1, times: midnight }, 400 * DAY),
  );
  return fc.oneof({ weight: 12, arbitrary: patterns }, { weight: 1, arbitrary: nicknames });
}

/** A cron minute or hour field and how it matches a value. */
interface CronField {
  readonly text: string;
  readonly matches: (value: number) => boolean;
  /** `*` or a step: the pattern then fires on real time. */
  readonly wild: boolean;
}

const anyField: CronField = { text: "*", matches: () => true, wild: true };
const stepField = (step: number): CronField => ({ text: `*/${step}`, matches: (v) => v % step === 0, wild: true });
const valueField = (value: number): CronField => ({ text: String(value), matches: (v) => v === value, wild: false });
const rangeField = (from: number, to: number): CronField => ({ text: `${from}-${to}`, matches: (v) => v >= from && v <= to, wild: false });

/**
 * A cron pattern with `*` or a step in its minute or hour field: it fires on real time, at every
 * instant whose local reading matches. Its seconds field (6 fields) is one or two values or a step;
 * its weekday field is mostly `*`, which keeps the brute-force oracle's search short.
 */
export function arbWildCron(zone: ZoneName): fc.Arbitrary<Schedule> {
  const minute = fc.oneof(
    fc.constant(anyField),
    fc.integer({ min: 2, max: 30 }).map(stepField),
    arbMinuteOfHour.map(valueField),
  );
  const hour = fc.oneof(
    fc.constant(anyField),
    fc.integer({ min: 2, max: 12 }).map(stepField),
    fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 6 })).map(([from, length]) => rangeField(from, Math.min(23, from + length))),
    fc.oneof(fc.integer({ min: 0, max: 23 }), arbTimeOfDay(zone).map((time) => time.hour)).map(valueField),
  );
  const weekdays = fc.oneof(
    { weight: 4, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: arbCronWeekdays },
  );
  // The seconds field of a 6-field pattern: one value, two, or a step (`*/20`: 0, 20, 40).
  const seconds = fc.oneof(
    { weight: 3, arbitrary: fc.uniqueArray(fc.integer({ min: 0, max: 59 }), { minLength: 1, maxLength: 2 }).map((list) => {
      const sorted = [...list].sort((a, b) => a - b);
      return { text: sorted.join(","), values: sorted };
    }) },
    { weight: 1, arbitrary: fc.constantFrom(15, 20, 30).map((step) => ({ text: `*/${step}`, values: Array.from({ length: 60 / step }, (_, i) => i * step) })) },
  );
  const patterns = fc
    .tuple(fc.option(seconds, { freq: 3 }), minute, hour, weekdays)
    .filter(([, m, h]) => m.wild || h.wild)
    .map(([second, m, h, days]) => {
      const expression = `${second === null ? "" : `${second.text} `}${m.text} ${h.text} * * ${days === null ? "*" : days.text}`;
      const values = second?.values ?? [0];
      const matches = (r: Reading): boolean =>
        values.includes(r.second) && m.matches(r.minute) && h.matches(r.hour) && (days === null || days.days.has(weekdayIndex(r)));
      return realTimeSchedule(expression, zone, "CRON", { seconds: values, matches }, values.length > 2 ? 2 * HOUR : 5 * HOUR);
    });
  const hourly = fc.constant(realTimeSchedule("@hourly", zone, "CRON", hourlyRule(0, 0)));
  return fc.oneof({ weight: 9, arbitrary: patterns }, { weight: 1, arbitrary: hourly });
}

// ── Every kind ─────────────────────────────────────────────────────────────────────────────────────

export function arbAnySchedule(zone: ZoneName): fc.Arbitrary<Schedule> {
  return fc.oneof(
    arbDaily(zone),
    arbWeekly(zone),
    arbMonthly(zone),
    arbMinutely(zone),
    arbHourly(zone),
    arbFixedCron(zone),
    arbWildCron(zone),
    arbCyclic(zone),
    arbOnceIn(zone),
    arbOnceAtTime(zone),
    arbOnceOnWeekday(zone),
    arbOnceAtDate(zone),
  );
}

// ── Right at a transition ──────────────────────────────────────────────────────────────────────────

/**
 * A wall-clock schedule whose reading falls inside, or within minutes of, the window of wall time a
 * transition skips or repeats, on the transition's own date, and a reference from the day before to
 * a few hours after (so also inside the gap's aftermath or the fold's second pass). DAILY, WEEKLY on
 * that weekday, MONTHLY on that day, or the equivalent fixed-time cron pattern.
 */
export function arbAtTransition(zone: ZoneName): fc.Arbitrary<{ schedule: Schedule; reference: number }> | null {
  const transitions = transitionsOf(zone).filter((t) => t.at >= SPAN_START && t.at < SPAN_END);
  if (transitions.length === 0) return null;
  return fc
    .tuple(
      fc.constantFrom(...transitions),
      fc.integer({ min: -10, max: 70 }),
      fc.constantFrom(0, 0, 30, 59),
      fc.integer({ min: -26 * 60, max: 3 * 60 }),
      fc.constantFrom(1, SECOND, MINUTE),
      fc.constantFrom("DAILY" as const, "WEEKLY" as const, "MONTHLY" as const, "CRON" as const, "ONCE next" as const, "ONCE weekday" as const, "ONCE date" as const),
      fc.option(arbTimeOfDay(zone), { freq: 2 }),
    )
    .map(([t, minutes, second, referenceMinutes, precision, kind, other]) => {
      // Wall time (as UTC-encoded local) where the window of the jump starts, then a few minutes either way.
      const windowStart = t.at + Math.min(t.before, t.after);
      const wall = Temporal.Instant.fromEpochMilliseconds(windowStart).toZonedDateTimeISO("UTC").toPlainDateTime().add({ minutes }).with({ second });
      const time: TimeOfDay = { hour: wall.hour, minute: wall.minute, second: wall.second };
      const date = wall.toPlainDate();
      const times = other === null || secondsOfDay(other) === secondsOfDay(time) ? [time] : [time, other];
      const text = `at ${times.map((x) => renderTime(x, "h:mm:ss")).join(" and ")}`;
      const reference = Math.floor((t.at + referenceMinutes * MINUTE + (referenceMinutes % 7) * 1234) / precision) * precision;
      const weekday = weekdayIndex(date);
      let schedule: Schedule;
      switch (kind) {
        case "DAILY":
          schedule = wallClockSchedule(`every day ${text}`, zone, kind, { onDate: everyDay, times });
          break;
        case "WEEKLY":
          schedule = wallClockSchedule(`every ${WEEKDAY_NAMES[weekday] ?? ""} ${text}`, zone, kind, { onDate: (d) => weekdayIndex(d) === weekday, times }, 9 * DAY);
          break;
        case "MONTHLY":
          schedule = wallClockSchedule(`every month on the ${ordinal(date.day)} ${text}`, zone, kind, { onDate: monthDayRule([date.day]), times }, 40 * DAY);
          break;
        case "CRON":
          schedule = wallClockSchedule(`${time.second} ${time.minute} ${time.hour} * * *`, zone, kind, { onDate: everyDay, times: [time] });
          break;
        case "ONCE next": {
          const rule: WallClockRule = { onDate: everyDay, times: [time] };
          schedule = onceSchedule(`next ${renderTime(time, "h:mm:ss")}`, zone, (anchor) => nextWallClockFire(zone, rule, anchor));
          break;
        }
        case "ONCE weekday": {
          const rule: WallClockRule = { onDate: (d) => weekdayIndex(d) === weekday, times: [time] };
          schedule = onceSchedule(`next ${WEEKDAY_NAMES[weekday] ?? ""} at ${renderTime(time, "h:mm:ss")}`, zone, (anchor) =>
            nextWallClockFire(zone, rule, anchor),
          );
          break;
        }
        case "ONCE date": {
          const instant = wallClockInstant(zone, date, time);
          schedule = onceSchedule(`${date.toString()} ${renderTime(time, "hh:mm:ss")}`, zone, () => instant);
          break;
        }
      }
      return { schedule, reference };
    });
}
