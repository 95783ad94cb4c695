import { TimingError } from "../../errors/timing-error.ts";
import { echo } from "../../errors/echo.ts";
import { timesOfDay, type TimesOfDay } from "../rules/times-of-day.ts";
import type { OnceSpec, TimingSpec } from "../spec.ts";
import { suggest } from "../suggest.ts";
import { daysInMonth, localTimeOf, MAX_DURATION_MS, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND } from "../time.ts";
import { tokenize, type Token } from "./tokens.ts";
import { KNOWN_WORDS, unitOf, WEEKDAY_NAMES, weekdayOf } from "./vocabulary.ts";

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

const AFTER_EVERY = ["second", "minute", "hour", "day", "weekday", "weekend", "month", ...WEEKDAY_NAMES];
const AFTER_ONCE = ["in", "on", "at", ...WEEKDAY_NAMES];
const UNITS = ["seconds", "minutes", "hours", "days", "weeks"];
const WEEKDAYS = new Set([1, 2, 3, 4, 5]);
const WEEKEND = new Set([0, 6]);

/**
 * Parses a timing phrase of `timing.md` into a TimingSpec. Recursive descent over tokens: each rule
 * names what it expected, so an error can say where, what and (for a typo) what was meant.
 */
export function parsePhrase(expression: string): TimingSpec {
  return new PhraseParser(expression).parse();
}

class PhraseParser {
  readonly #expression: string;
  readonly #tokens: Token[];
  #index = 0;
  /** Where the last time of day read began: `9:00` of `9:00 17:30`, for the did-you-mean. */
  #lastTimeStart = 0;

  constructor(expression: string) {
    this.#expression = expression;
    this.#tokens = tokenize(expression);
  }

  parse(): TimingSpec {
    const first = this.#peek();
    let spec: TimingSpec;
    if (this.#acceptWord("every")) spec = this.#every();
    else if (this.#acceptWord("once")) spec = this.#once();
    else if (this.#acceptWord("next")) spec = this.#next();
    else if (this.#acceptWord("in")) spec = { kind: "ONCE", ...this.#delay() };
    else if (first?.kind === "date" || first?.kind === "datetime") spec = { kind: "ONCE", ...this.#dateTime() };
    else if (this.#acceptWord("at", "on") || this.#startsTime()) {
      spec = { kind: "ONCE", at: "next-reading", weekday: null, time: this.#timeOfDay() };
    } else {
      throw this.#unexpected(first, 'a phrase starting with "every", "once" or "next", a time or a date', [
        "every",
        "once",
        "next",
      ]);
    }
    const extra = this.#peek();
    if (extra !== undefined) throw this.#unexpected(extra, "the end of the expression", []);
    return spec;
  }

  // ── every … ────────────────────────────────────────────────────────────────────────────────────

  #every(): TimingSpec {
    const token = this.#peek();
    if (token?.kind === "clock") return { kind: "CYCLIC", interval: this.#clockDuration("every") };
    if (token?.kind === "number") return { kind: "CYCLIC", interval: this.#wordsDuration("every") };
    if (this.#acceptWord("second")) return { kind: "CYCLIC", interval: MS_PER_SECOND };
    if (this.#acceptWord("minute")) return { kind: "MINUTELY", second: this.#minuteOffset() };
    if (this.#acceptWord("hour")) return { kind: "HOURLY", ...this.#hourOffset() };
    if (this.#acceptWord("day")) return { kind: "DAILY", times: this.#optionalTimes() };
    if (this.#acceptWord("weekday", "weekdays")) {
      return { kind: "WEEKLY", weekdays: [...WEEKDAYS], times: this.#optionalTimes() };
    }
    if (this.#acceptWord("weekend", "weekends")) {
      return { kind: "WEEKLY", weekdays: [...WEEKEND], times: this.#optionalTimes() };
    }
    if (this.#acceptWord("month")) return this.#monthly();
    if (token?.kind === "word" && token.lower === "week") {
      throw this.#error(token, '"every week" is ambiguous', 'write "every 7 days" for a fixed interval, or name the day, e.g. "every Monday"');
    }
    if (token?.kind === "word" && weekdayOf(token.lower) !== undefined) {
      return { kind: "WEEKLY", weekdays: this.#weekdayList(), times: this.#optionalTimes() };
    }
    throw this.#unexpected(token, "an interval, a weekday, or one of second, minute, hour, day, month", AFTER_EVERY);
  }

  /** `every minute` / `every minute at 15 seconds` / `every minute at second 15`. */
  #minuteOffset(): number {
    if (!this.#acceptWord("at", "on")) return 0;
    return this.#valueWithUnit("second", 59) * MS_PER_SECOND;
  }

  /** `every hour` / `at 05:00` (MM:SS) / `at 00:05:00` / `at 30 minutes` / `at minute 30`. */
  #hourOffset(): { minute: number; second: number } {
    if (!this.#acceptWord("at", "on")) return { minute: 0, second: 0 };
    const token = this.#peek();
    if (token?.kind === "clock") {
      this.#index++;
      const parts = token.text.split(":").map(Number);
      if (parts.length === 3) {
        if (parts[0] !== 0) {
          throw this.#error(
            token,
            `"${echo(token.text)}" is ambiguous in an hourly schedule`,
            `write "every hour at ${pad(parts[0] ?? 0)}:${pad(parts[1] ?? 0)}" for minute ${parts[0]} second ${parts[1]}, or "every day at ${token.text}" for once a day`,
          );
        }
        parts.shift();
      }
      const [minute = 0, second = 0] = parts;
      this.#checkRange(token, "minute", minute, 59);
      this.#checkRange(token, "second", second, 59);
      return { minute, second };
    }
    const minute = this.#valueWithUnit("minute", 59);
    const second = this.#acceptWord("and") || this.#peek()?.kind === "number" ? this.#valueWithUnit("second", 59) : 0;
    return { minute, second };
  }

  /** `15 seconds` or `second 15`: one field of the clock with its unit. */
  #valueWithUnit(unit: "second" | "minute", max: number): number {
    const unitFirst = this.#acceptWord(unit);
    const token = this.#peek();
    if (token?.kind !== "number") throw this.#unexpected(token, `a number of ${unit}s (0–${max})`, [unit]);
    this.#index++;
    const value = Number(token.text);
    this.#checkRange(token, unit, value, max);
    if (!unitFirst) {
      const unitToken = this.#peek();
      if (unitToken?.kind !== "word" || unitOf(unitToken.lower)?.name !== unit) {
        throw this.#unexpected(unitToken, `"${unit}s"`, [`${unit}s`]);
      }
      this.#index++;
    }
    return value;
  }

  /** `Monday and Thursday`, `Mon, Wed, Fri`. */
  #weekdayList(): number[] {
    const days: number[] = [];
    for (;;) {
      const token = this.#peek();
      const day = token?.kind === "word" ? weekdayOf(token.lower) : undefined;
      if (day === undefined) {
        if (days.length > 0) break;
        throw this.#unexpected(token, "a weekday", WEEKDAY_NAMES);
      }
      this.#index++;
      days.push(day);
      const next = this.#peek(1);
      if (this.#peek()?.lower === "and" && next?.kind === "word" && weekdayOf(next.lower) !== undefined) this.#index++;
    }
    return days;
  }

  /** `every month on the 1st and 15th at 9:00`, `every month on the last day at 23:00`. */
  #monthly(): TimingSpec {
    if (!this.#acceptWord("on")) return { kind: "MONTHLY", days: [1], times: this.#optionalTimes() };
    const days: number[] = [];
    for (;;) {
      this.#acceptWord("the");
      const token = this.#peek();
      if (this.#acceptWord("last")) {
        this.#acceptWord("day");
        days.push(0);
      } else if (token?.kind === "ordinal" || token?.kind === "number") {
        this.#index++;
        const day = Number.parseInt(token.text, 10);
        if (day < 1 || day > 31) throw this.#error(token, `day ${day} of the month is out of range (1–31)`);
        days.push(day);
      } else if (this.#acceptWord("day")) {
        const day = this.#peek();
        if (day?.kind !== "number") throw this.#unexpected(day, "a day of the month (1–31)", []);
        continue;
      } else {
        throw this.#unexpected(token, 'a day of the month, such as "1st", "15th" or "last day"', ["last", "the"]);
      }
      if (!this.#acceptWord("and") && !this.#startsMonthDay()) break;
    }
    this.#acceptWord("of");
    this.#acceptWord("the");
    this.#acceptWord("month");
    return { kind: "MONTHLY", days: [...new Set(days)].sort((a, b) => a - b), times: this.#optionalTimes() };
  }

  #startsMonthDay(): boolean {
    const token = this.#peek();
    return token?.kind === "ordinal" || token?.lower === "last" || (token?.lower === "the" && this.#peek(1) !== undefined);
  }

  // ── once … / next … ───────────────────────────────────────────────────────────────────────────

  #once(): TimingSpec {
    if (this.#acceptWord("in")) return { kind: "ONCE", ...this.#delay() };
    this.#acceptWord("on", "at");
    const token = this.#peek();
    if (token?.kind === "date" || token?.kind === "datetime") return { kind: "ONCE", ...this.#dateTime() };
    if (token?.kind === "word" && weekdayOf(token.lower) !== undefined) return { kind: "ONCE", ...this.#weekdayReading() };
    if (this.#startsTime()) return { kind: "ONCE", at: "next-reading", weekday: null, time: this.#timeOfDay() };
    throw this.#unexpected(token, '"in" and a duration, a weekday, a time or a date', AFTER_ONCE);
  }

  #next(): TimingSpec {
    const token = this.#peek();
    if (token?.kind === "word" && weekdayOf(token.lower) !== undefined) return { kind: "ONCE", ...this.#weekdayReading() };
    if (this.#startsTime()) return { kind: "ONCE", at: "next-reading", weekday: null, time: this.#timeOfDay() };
    throw this.#unexpected(token, "a weekday or a time", WEEKDAY_NAMES);
  }

  /** `Tuesday at 13:11:00`, `Thursday, 00:31:41`, `Friday` (midnight). */
  #weekdayReading(): OnceSpec {
    const token = this.#peek();
    const weekday = token === undefined ? undefined : weekdayOf(token.lower);
    if (token === undefined || weekday === undefined) throw this.#unexpected(token, "a weekday", WEEKDAY_NAMES);
    this.#index++;
    const times = this.#optionalTimes();
    if (times.length > 1) throw this.#error(token, "a ONCE job fires at one time; give a single time");
    return { at: "next-reading", weekday, time: times[0] ?? 0 };
  }

  #delay(): OnceSpec {
    const token = this.#peek();
    const delay = token?.kind === "clock" ? this.#clockDuration("once in") : this.#wordsDuration("once in");
    return { at: "delay", delay };
  }

  /** `2023-04-01 09:13[:11]`, `2023-04-01 at 9:13`, `2026-12-01T09:00:00+01:00`. */
  #dateTime(): OnceSpec {
    const token = this.#next_();
    if (token.kind === "datetime") return this.#isoDateTime(token);
    const [year = 0, month = 0, day = 0] = token.text.split("-").map(Number);
    this.#checkDate(token, year, month, day);
    this.#acceptWord("at", "on");
    const time = this.#startsTime() ? this.#timeOfDay() : 0;
    return { at: "local", local: localTimeOf(year, month, day) + time };
  }

  #isoDateTime(token: Token): OnceSpec {
    const match = /^(\d+)-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(
      token.text,
    );
    if (match === null) throw this.#error(token, `"${echo(token.text)}" is not an ISO 8601 date-time`);
    const [, y, mo, d, h, mi, s, fraction, offset] = match;
    const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map((part) => Number(part ?? 0)) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    this.#checkDate(token, year, month, day);
    this.#checkRange(token, "hour", hour, 23);
    this.#checkRange(token, "minute", minute, 59);
    this.#checkRange(token, "second", second, 59);
    const ms = fraction === undefined ? 0 : Math.floor(Number(fraction) * 1000);
    const local = localTimeOf(year, month, day, hour, minute, second) + ms;
    if (offset === undefined) return { at: "local", local };
    if (offset.toUpperCase() === "Z") return { at: "instant", instant: local };
    const sign = offset.startsWith("-") ? -1 : 1;
    const digits = offset.slice(1).replace(":", "");
    const offsetHours = Number(digits.slice(0, 2));
    const offsetMinutes = Number(digits.slice(2) || "0");
    if (offsetHours > 14 || offsetMinutes > 59) throw this.#error(token, `offset ${offset} is out of range`);
    return { at: "instant", instant: local - sign * (offsetHours * MS_PER_HOUR + offsetMinutes * MS_PER_MINUTE) };
  }

  #checkDate(token: Token, year: number, month: number, day: number): void {
    if (year < 1970 || year > 9999) throw this.#error(token, `year ${year} is out of range (1970–9999)`);
    this.#checkRange(token, "month", month, 12, 1);
    const length = daysInMonth(year, month);
    if (day < 1 || day > length) {
      throw this.#error(token, `day ${day} is out of range for ${MONTH_NAMES[month - 1] ?? ""} ${year} (1–${length})`);
    }
  }

  // ── durations ─────────────────────────────────────────────────────────────────────────────────

  /** `48:00:00` (hours may exceed 23). `9:15` is refused: 9 h 15 min, or 9:15 on the clock? */
  #clockDuration(context: "every" | "once in"): number {
    const token = this.#next_();
    const parts = token.text.split(":").map(Number);
    if (parts.length === 2) {
      const [a = 0, b = 0] = parts;
      const reading =
        context === "every"
          ? `write "every ${a}:${pad(b)}:00" for an interval of ${a} h ${b} min, or "every day at ${token.text}" for a time of day`
          : `write "once in ${a}:${pad(b)}:00" for ${a} h ${b} min, or "once in 0:${pad(a)}:${pad(b)}" for ${a} min ${b} s`;
      throw this.#error(token, `"${echo(token.text)}" is ambiguous`, reading);
    }
    const [hours = 0, minutes = 0, seconds = 0] = parts;
    this.#checkRange(token, "minute", minutes, 59);
    this.#checkRange(token, "second", seconds, 59);
    const interval = hours * MS_PER_HOUR + minutes * MS_PER_MINUTE + seconds * MS_PER_SECOND;
    if (interval === 0) throw this.#error(token, "the interval must be longer than zero");
    this.#checkDuration(token, interval, context);
    return interval;
  }

  /** `5 hours 2 minutes and 15 seconds`, `90 seconds`, `1h 30m`. */
  #wordsDuration(context: "every" | "once in"): number {
    const first = this.#peek();
    const seen = new Set<string>();
    let total = 0;
    for (;;) {
      const number = this.#peek();
      if (number?.kind !== "number") throw this.#unexpected(number, "a number", []);
      this.#index++;
      const amount = Number(number.text);
      if (amount < 0) throw this.#error(number, "the interval must be longer than zero; it cannot be negative");
      const unitToken = this.#peek();
      const unit = unitToken?.kind === "word" ? unitOf(unitToken.lower) : undefined;
      if (unitToken === undefined || unit === undefined) throw this.#unexpected(unitToken, "a unit: seconds, minutes, hours, days or weeks", UNITS);
      this.#index++;
      if (seen.has(unit.name)) throw this.#error(unitToken, `${unit.name}s are given twice`);
      seen.add(unit.name);
      total += amount * unit.ms;
      this.#checkDuration(number, total, context);
      const and = this.#peek()?.lower === "and" && this.#peek(1)?.kind === "number";
      if (and) this.#index++;
      if (this.#peek()?.kind !== "number") break;
    }
    if (total === 0 && first !== undefined) throw this.#error(first, "the interval must be longer than zero");
    return total;
  }

  /** Refused beyond MAX_DURATION_MS, at the number that makes it too long: its instants would leave what a Date holds. */
  #checkDuration(token: Token, ms: number, context: "every" | "once in"): void {
    if (ms <= MAX_DURATION_MS) return;
    const what = context === "every" ? "the interval" : "the delay";
    throw this.#error(token, `${what} is too long (at most ${MAX_DURATION_MS / MS_PER_DAY} days, about 100 years)`);
  }

  // ── times of day ──────────────────────────────────────────────────────────────────────────────

  /** `at 9:00 and 17:30`, or nothing (midnight). */
  #optionalTimes(): TimesOfDay {
    if (!this.#acceptWord("at", "on") && !this.#startsTime()) return [0];
    const times = [this.#timeOfDay()];
    for (;;) {
      const and = this.#peek()?.lower === "and";
      if (and && this.#startsTime(1)) this.#index++;
      else if (!this.#startsTime()) break;
      else if (this.#peek()?.afterComma !== true) throw this.#unseparatedTime();
      times.push(this.#timeOfDay());
    }
    return timesOfDay(times);
  }

  /**
   * A second time right after the first, with neither "and" nor a comma between: `9:00 17:30`. A list
   * of times is written `9:00 and 17:30` or `9:00, 17:30`; anything else is refused, never read as one.
   */
  #unseparatedTime(): TimingError {
    const token = this.#peek() as Token;
    const previous = this.#tokens[this.#index - 1] as Token;
    const first = this.#tokens[this.#lastTimeStart] ?? previous;
    const written = this.#span(first, previous);
    const suffix = this.#peek(1);
    const glued = suffix?.kind === "word" && (suffix.lower === "am" || suffix.lower === "pm" || unitOf(suffix.lower)?.name === "hour");
    const second = this.#span(token, glued ? suffix : token);
    return new TimingError({
      expression: this.#expression,
      column: token.column,
      word: second,
      reason: `two times without "and" or a comma between them`,
      suggestion: `${echo(written)} and ${echo(second)}`,
    });
  }

  /** The expression from the start of `first` to the end of `last`, as written. */
  #span(first: Token, last: Token): string {
    return this.#expression.slice(first.column - 1, last.column - 1 + last.text.length);
  }

  /**
   * After the hour of `9h15`, `9 15`, `9h15m` or `13 hours 5`, a number that would be the minutes: a
   * time is written `9:15`, and reading the rest as a second time would run the job twice a day.
   */
  #refuseSplitTime(hourToken: Token, hour: number): void {
    const minuteToken = this.#peek();
    if (minuteToken?.kind !== "number" || minuteToken.afterComma) return;
    const parts = [hour];
    let end = minuteToken;
    let ahead = 0;
    for (const unit of ["minute", "second"]) {
      const number = this.#peek(ahead);
      if (number?.kind !== "number" || (ahead > 0 && number.afterComma)) break;
      parts.push(Number(number.text));
      end = number;
      ahead++;
      const unitToken = this.#peek(ahead);
      if (unitToken?.kind === "word" && unitOf(unitToken.lower)?.name === unit) {
        end = unitToken;
        ahead++;
      } else if (unitToken?.kind !== "number" || unitToken.afterComma) break; // bare numbers go on: `9 15 30`
    }
    const written = this.#span(hourToken, end);
    const fits = hour <= 23 && parts.slice(1).every((part) => Number.isInteger(part) && part >= 0 && part <= 59);
    const clock = `${parts[0]}:${parts.slice(1).map(pad).join(":")}`;
    // `9 15` may also be two times that lack their "and"; `9h15` and `13 hours 5` may not.
    const bare = parts.length === 2 && this.#tokens.indexOf(minuteToken) === this.#tokens.indexOf(hourToken) + 1 && Number(minuteToken.text) <= 23;
    throw new TimingError({
      expression: this.#expression,
      column: hourToken.column,
      word: written,
      reason: `"${echo(written)}" is not a time`,
      suggestion: fits ? clock : undefined,
      hint: bare ? `write "${hourToken.text} and ${minuteToken.text}" for two times` : undefined,
    });
  }

  #startsTime(ahead = 0): boolean {
    const token = this.#peek(ahead);
    return token?.kind === "clock" || token?.kind === "number" || token?.lower === "noon" || token?.lower === "midnight";
  }

  /** `9`, `9:15`, `09:15:14`, `13 hours`, `9am`, `5:30 pm`, `noon`, `midnight` → ms after midnight. */
  #timeOfDay(): number {
    this.#lastTimeStart = this.#index;
    const token = this.#peek();
    if (this.#acceptWord("noon")) return 12 * MS_PER_HOUR;
    if (this.#acceptWord("midnight")) return 0;
    if (token?.kind !== "clock" && token?.kind !== "number") throw this.#unexpected(token, "a time of day, such as 9:15", []);
    this.#index++;
    const [written = 0, minute = 0, second = 0] = token.text.split(":").map(Number);
    let hour = written;
    const suffix = this.#peek();
    if (token.kind === "number" && suffix?.kind === "word" && unitOf(suffix.lower)?.name === "hour") {
      this.#index++;
      this.#refuseSplitTime(token, written);
    } else if (token.kind === "number" && suffix?.kind === "number" && !suffix.afterComma) this.#refuseSplitTime(token, written);
    else if (suffix?.lower === "am" || suffix?.lower === "pm") {
      this.#index++;
      this.#checkRange(token, "hour", hour, 12, 1);
      hour = (hour % 12) + (suffix.lower === "pm" ? 12 : 0);
    }
    this.#checkRange(token, "hour", hour, 23);
    this.#checkRange(token, "minute", minute, 59);
    this.#checkRange(token, "second", second, 59);
    return hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * MS_PER_SECOND;
  }

  // ── cursor and errors ─────────────────────────────────────────────────────────────────────────

  #peek(ahead = 0): Token | undefined {
    return this.#tokens[this.#index + ahead];
  }

  #next_(): Token {
    const token = this.#tokens[this.#index];
    if (token === undefined) throw this.#unexpected(undefined, "more", []);
    this.#index++;
    return token;
  }

  #acceptWord(...words: string[]): boolean {
    const token = this.#peek();
    if (token?.kind === "word" && words.includes(token.lower)) {
      this.#index++;
      return true;
    }
    return false;
  }

  #checkRange(token: Token, field: string, value: number, max: number, min = 0): void {
    if (value < min || value > max || !Number.isInteger(value)) {
      throw this.#error(token, `${field} ${value} is out of range (${min}–${max})`);
    }
  }

  #error(token: Token, reason: string, hint?: string): TimingError {
    return new TimingError({ expression: this.#expression, column: token.column, word: token.text, reason, hint });
  }

  #unexpected(token: Token | undefined, expected: string, candidates: readonly string[]): TimingError {
    if (token === undefined) {
      return new TimingError({
        expression: this.#expression,
        column: this.#expression.trimEnd().length + 1,
        word: "",
        reason: `the expression ends early; expected ${expected}`,
      });
    }
    const known = token.kind !== "word" || KNOWN_WORDS.has(token.lower);
    const reason = known ? `unexpected "${echo(token.text)}", expected ${expected}` : `unknown word "${echo(token.text)}"`;
    const suggestion = token.kind === "word" ? suggest(token.text, candidates) : undefined;
    return new TimingError({ expression: this.#expression, column: token.column, word: token.text, reason, suggestion });
  }
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}
