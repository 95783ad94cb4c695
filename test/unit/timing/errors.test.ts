import { describe, expect, it } from "vitest";
import { ErrorCode, parseTiming, TimezoneError, TimingError } from "../../../src/index.ts";
import { neverRuns, refuseNeverRuns } from "../../../src/timing/past.ts";

function timingError(expression: string): TimingError {
  try {
    parseTiming(expression);
  } catch (error) {
    if (error instanceof TimingError) return error;
    throw error;
  }
  throw new Error(`"${expression}" was accepted`);
}

describe("bad timing expressions are refused with where, what and a suggestion", () => {
  it('names the column and the word of a typo, and suggests: "every Mondey at 3:15"', () => {
    const error = timingError("every Mondey at 3:15");
    expect(error.code).toBe(ErrorCode.Timing);
    expect(error.column).toBe(7);
    expect(error.word).toBe("Mondey");
    expect(error.suggestion).toBe("Monday");
    expect(error.message).toBe('unknown word "Mondey" at column 7; did you mean "Monday"?');
    expect(error.pointer()).toBe("every Mondey at 3:15\n      ^^^^^^");
  });

  it.each([
    ["evry day", 1, "evry", "every"],
    ["every dya at 9:00", 7, "dya", "day"],
    ["every 5 minuts", 9, "minuts", "minutes"],
    ["once in 5 horus", 11, "horus", "hours"],
    ["every Tusday at 9:00", 7, "Tusday", "Tuesday"],
    ["every hour at 5 minuts", 17, "minuts", "minutes"],
  ])("%s: column %i, word %s, did you mean %s", (expression, column, word, suggestion) => {
    const error = timingError(expression);
    expect([error.column, error.word, error.suggestion]).toEqual([column, word, suggestion]);
  });

  it.each([
    ["every day at 25:00", 14, "hour 25 is out of range (0–23)"],
    ["every day at 9:60", 14, "minute 60 is out of range (0–59)"],
    ["every day at 9:15:75", 14, "second 75 is out of range (0–59)"],
    ["every minute at 60 seconds", 17, "second 60 is out of range (0–59)"],
    ["every hour at 61:00", 15, "minute 61 is out of range (0–59)"],
    ["every 00:75:00", 7, "minute 75 is out of range (0–59)"],
    ["every day at 13pm", 14, "hour 13 is out of range (1–12)"],
    ["every month on the 32nd", 20, "day 32 of the month is out of range (1–31)"],
    ["2023-02-30 10:00", 1, "day 30 is out of range for February 2023 (1–28)"],
    ["2024-13-01 10:00", 1, "month 13 is out of range (1–12)"],
  ])("%s: out of range at column %i", (expression, column, reason) => {
    const error = timingError(expression);
    expect(error.column).toBe(column);
    expect(error.reason).toBe(reason);
  });

  it.each([
    ["every 0 seconds", 7],
    ["every 00:00:00", 7],
    ["once in 0 minutes", 9],
    ["every -5 minutes", 7],
  ])("%s: an interval must be longer than zero", (expression, column) => {
    const error = timingError(expression);
    expect(error.column).toBe(column);
    expect(error.reason).toMatch(/the interval must be longer than zero/);
  });

  it.each([
    ["every 100000000 hours", 7, "100000000", "the interval is too long (at most 36500 days, about 100 years)"],
    ["every 9999999999999999999999 seconds", 7, "9999999999999999999999", "the interval is too long (at most 36500 days, about 100 years)"],
    ["every 36500 days and 1 second", 22, "1", "the interval is too long (at most 36500 days, about 100 years)"],
    ["every 876001:00:00", 7, "876001:00:00", "the interval is too long (at most 36500 days, about 100 years)"],
    ["once in 999999999999 hours", 9, "999999999999", "the delay is too long (at most 36500 days, about 100 years)"],
    ["in 1000000 weeks", 4, "1000000", "the delay is too long (at most 36500 days, about 100 years)"],
  ])("%s: a duration whose instants would leave what a Date holds is refused at its number", (expression, column, word, reason) => {
    const error = timingError(expression);
    expect([error.column, error.word, error.reason]).toEqual([column, word, reason]);
  });

  it("accepts the longest duration, and its fires are valid dates", () => {
    const trigger = parseTiming("every 36500 days");
    const start = Date.parse("2024-03-03T00:00:00Z");
    expect(new Date(trigger.nextFire(start, start) ?? NaN).toISOString()).toBe("2124-02-08T00:00:00.000Z");
    expect(parseTiming("once in 876000:00:00").nextFire(start, start)).toBe(start + 36_500 * 86_400_000);
  });

  it("refuses an ambiguous phrase and names both readings", () => {
    const everyClock = timingError("every 9:15");
    expect(everyClock.reason).toBe('"9:15" is ambiguous');
    expect(everyClock.message).toContain('"every 9:15:00" for an interval of 9 h 15 min');
    expect(everyClock.message).toContain('"every day at 9:15" for a time of day');
    expect(timingError("once in 9:15").message).toContain("for 9 min 15 s");
    expect(timingError("every hour at 05:00:00").message).toContain('"every hour at 05:00" for minute 5 second 0');
    expect(timingError("every week").message).toContain('"every 7 days"');
  });

  it.each([
    ["", 1, "the timing expression is empty"],
    ["every", 6, "the expression ends early; expected an interval, a weekday, or one of second, minute, hour, day, month"],
    ["every day at", 13, "the expression ends early; expected a time of day, such as 9:15"],
    ["every day at 9:00 sharp", 19, 'unknown word "sharp"'],
    ["every 5 minutes and 5 minutes", 23, "minutes are given twice"],
    ["every day at 9:00 & 10:00", 19, 'unexpected character "&"'],
    ["tomorrow", 1, 'unknown word "tomorrow"'],
    ["every day at 9:15abc", 18, '"abc" is glued to the time 9:15; separate them with a space, or remove it'],
  ])("%j: %s", (expression, column, reason) => {
    const error = timingError(expression);
    expect(error.column).toBe(column);
    expect(error.reason).toBe(reason);
  });

  it.each([
    ["every day at 9h15", 14, "9h15", "9:15"],
    ["every Monday at 3h15", 17, "3h15", "3:15"],
    ["every day at 9 15", 14, "9 15", "9:15"],
    ["every day at 9 30", 14, "9 30", "9:30"],
    ["every day at 9h30m", 14, "9h30m", "9:30"],
    ["every day at 9h15m", 14, "9h15m", "9:15"],
    ["every day at 9h15m30s", 14, "9h15m30s", "9:15:30"],
    ["every day at 9 15 30", 14, "9 15 30", "9:15:30"],
    ["every day at 13 hours 5", 14, "13 hours 5", "13:05"],
    ["next Tuesday at 9h15", 17, "9h15", "9:15"],
    ["2024-05-01 9 15", 12, "9 15", "9:15"],
    ["9h15", 1, "9h15", "9:15"],
  ])("%s: separate numbers are not a list of times; did you mean the clock reading?", (expression, column, word, suggestion) => {
    const error = timingError(expression);
    expect([error.column, error.word, error.reason, error.suggestion]).toEqual([column, word, `"${word}" is not a time`, suggestion]);
  });

  it("names both readings of two bare numbers, and suggests nothing that is not a time", () => {
    expect(timingError("every day at 9 15").message).toBe(
      '"9 15" is not a time at column 14; did you mean "9:15"?; write "9 and 15" for two times',
    );
    expect(timingError("every day at 25h15").suggestion).toBeUndefined();
    expect(timingError("every day at 9 75").suggestion).toBeUndefined();
  });

  it("a list of times needs \"and\" or a comma: two times side by side are refused", () => {
    const error = timingError("every day at 9:00 17:30");
    expect([error.column, error.word, error.reason, error.suggestion]).toEqual([
      19,
      "17:30",
      'two times without "and" or a comma between them',
      "9:00 and 17:30",
    ]);
    expect(timingError("every day at 9am 5pm").suggestion).toBe("9am and 5pm");
    expect(parseTiming("every day at 9 and 15").description).toBe("every day at 09:00:00 and 15:00:00");
    expect(parseTiming("every day at 9, 15").description).toBe("every day at 09:00:00 and 15:00:00");
    expect(parseTiming("every day at 9:00, 17:30").description).toBe("every day at 09:00:00 and 17:30:00");
  });

  it.each([
    ["99999-01-01 00:00", "99999-01-01"],
    ["99999-01-01T00:00:00Z", "99999-01-01T00:00:00Z"],
    ["once on 12345-06-07", "12345-06-07"],
  ])("%s: a year of five digits is a date out of range, not an hour", (expression, word) => {
    const error = timingError(expression);
    expect(error.word).toBe(word);
    expect(error.reason).toMatch(/^year \d+ is out of range \(1970–9999\)$/);
  });

  it("shows a newline or a tab of the expression escaped, in the message and the pointer, with the caret under the word", () => {
    const error = timingError("every\tday at 9h15\n");
    expect(error.message).toBe('"9h15" is not a time at column 14; did you mean "9:15"?');
    expect(error.pointer()).toBe(`every\\tday at 9h15\\n\n${" ".repeat(14)}^^^^`);
    const character = timingError("every day at 9:00 \u0007");
    expect(character.message).toBe('unexpected character "\\u0007" at column 19');
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(character.pointer()).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it("repeats at most 80 characters of a long word, and points into a long expression around the word", () => {
    const long = "x".repeat(300);
    const error = timingError(`every day at ${long}`);
    expect(error.message).toBe(`unknown word "${"x".repeat(80)}…" at column 14`);
    const pointer = error.pointer().split("\n");
    expect(pointer[0]).toBe(`every day at ${"x".repeat(80)}…`);
    expect(pointer[1]).toBe(`${" ".repeat(13)}${"^".repeat(80)}`);
    const late = timingError(`every day at ${"9:00 and ".repeat(30)}9h15`).pointer().split("\n");
    expect(late[0]).toMatch(/^….{40}9h15$/);
    expect(late[1]).toBe(`${" ".repeat(41)}^^^^`);
  });

  it("names the cron field that croner refused, at its column", () => {
    const minute = timingError("61 * * * *");
    expect([minute.column, minute.word]).toEqual([1, "61"]);
    expect(minute.reason).toMatch(/^invalid cron minute "61"/);
    const hour = timingError("0 25 * * *");
    expect([hour.column, hour.word]).toEqual([3, "25"]);
    const weekday = timingError("0 3 * * MOX");
    expect([weekday.column, weekday.word]).toEqual([9, "MOX"]);
    expect(weekday.reason).toMatch(/^invalid cron day of week "MOX"/);
    expect(timingError("@fortnightly").reason).toBe('unknown cron nickname "@fortnightly"');
    expect(timingError("0 0 0 1 1 * 2030").reason).toMatch(/a year field is not supported/);
  });
});

describe("unknown timezones", () => {
  it('refuses "Europe/Pariss" and suggests "Europe/Paris"; never falls back to UTC', () => {
    expect(() => parseTiming("every day at 9:00", "Europe/Pariss")).toThrow(TimezoneError);
    try {
      parseTiming("every day at 9:00", "Europe/Pariss");
    } catch (error) {
      expect(error).toBeInstanceOf(TimezoneError);
      const zoneError = error as TimezoneError;
      expect(zoneError.code).toBe(ErrorCode.Timezone);
      expect(zoneError.suggestion).toBe("Europe/Paris");
      expect(zoneError.message).toBe('unknown timezone "Europe/Pariss"; did you mean "Europe/Paris"?');
    }
  });

  it.each([
    ["Berlin", "Europe/Berlin"],
    ["Paris", "Europe/Paris"],
    ["paris", "Europe/Paris"],
    ["Berlinn", "Europe/Berlin"],
    ["New York", "America/New_York"],
    ["new_york", "America/New_York"],
    ["Kolkata", "Asia/Kolkata"],
  ])("a city alone (%s) suggests the zone whose last part it is (%s)", (city, zone) => {
    expect(() => parseTiming("every day", city)).toThrow(`unknown timezone "${city}"; did you mean "${zone}"?`);
  });

  it("offers no suggestion when nothing is close", () => {
    expect(() => parseTiming("every day", "Mars/Olympus_Mons")).toThrow('unknown timezone "Mars/Olympus_Mons"');
  });

  it("accepts any case and keeps the database's spelling", () => {
    expect(parseTiming("every day", "europe/berlin").timezone).toBe("Europe/Berlin");
    expect(parseTiming("every day", "utc").timezone).toBe("UTC");
    expect(parseTiming("every day", "US/Eastern").timezone).toBe("US/Eastern");
  });
});

describe("a ONCE job at a date in the past would never run", () => {
  const now = Date.parse("2024-03-03T07:36:47Z");

  it("is refused for jobs made through the API or code, naming the date and the zone", () => {
    expect(() => {
      refuseNeverRuns(parseTiming("2020-01-01 09:00"), now);
    }).toThrow(TimingError);
    try {
      refuseNeverRuns(parseTiming("2020-01-01 09:00"), now);
    } catch (error) {
      const timing = error as TimingError;
      expect(timing.message).toBe("2020-01-01 09:00 (UTC) is in the past: the job would never run");
      expect([timing.column, timing.word]).toEqual([1, "2020-01-01 09:00"]);
    }
    expect(neverRuns(parseTiming("2024-03-03 08:00", "Europe/Berlin"), now)).toBe(
      "2024-03-03 08:00 (Europe/Berlin) is in the past: the job would never run",
    );
    expect(neverRuns(parseTiming("2024-03-03T08:00:00+02:00"), now)).toBe("2024-03-03T08:00:00+02:00 is in the past: the job would never run");
  });

  it.each(["2024-03-03 07:37", "2024-03-03T09:00:00+01:00", "once in 5 minutes", "9:00", "next Monday at 9:00", "every day at 9:00", "0 3 * * *"])(
    "%s: has a fire ahead, so nothing is said",
    (expression) => {
      expect(neverRuns(parseTiming(expression), now)).toBeUndefined();
      expect(() => {
        refuseNeverRuns(parseTiming(expression), now);
      }).not.toThrow();
    },
  );
});
