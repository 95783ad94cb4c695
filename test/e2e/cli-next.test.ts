import { describe, expect, it } from "vitest";
import { orchestra } from "../support/cli.ts";

interface NextJson {
  kind: string;
  next: string[];
  timezone: string;
}

describe("orchestra next (the CLI contract)", () => {
  it("--json prints one object with kind and next: ISO 8601 instants with their offsets", async () => {
    const result = await orchestra(["next", "every Monday at 03:15:00", "--tz", "Europe/Berlin", "--from", "2024-03-03T07:36:47Z", "--json"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout) as NextJson;
    expect(report.kind).toBe("WEEKLY");
    expect(report.timezone).toBe("Europe/Berlin");
    expect(report.next).toEqual([
      "2024-03-04T03:15:00+01:00",
      "2024-03-11T03:15:00+01:00",
      "2024-03-18T03:15:00+01:00",
      "2024-03-25T03:15:00+01:00",
      "2024-04-01T03:15:00+02:00",
    ]);
  });

  it("-n sets the count; a ONCE job gives fewer", async () => {
    const three = await orchestra(["next", "every 90 seconds", "--from", "2024-03-03T07:36:47Z", "-n", "3", "--json"]);
    expect((JSON.parse(three.stdout) as NextJson).next).toEqual([
      "2024-03-03T07:38:17+00:00",
      "2024-03-03T07:39:47+00:00",
      "2024-03-03T07:41:17+00:00",
    ]);
    const once = await orchestra(["next", "once in 13:11:52", "--from", "2024-03-03T07:36:47Z", "--json"]);
    expect(JSON.parse(once.stdout)).toMatchObject({ kind: "ONCE", next: ["2024-03-03T20:48:39+00:00"] });
  });

  it("names every kind in --json", async () => {
    const kinds: Record<string, string> = {
      "every 00:00:01": "CYCLIC",
      "every minute at 15 seconds": "MINUTELY",
      "every hour at 05:00": "HOURLY",
      "every day at 9:15": "DAILY",
      "every Monday at 3:15": "WEEKLY",
      "every month on the 1st at 09:00": "MONTHLY",
      "0 3 * * MON": "CRON",
      "9:13": "ONCE",
    };
    // One process per expression, side by side: each starts Node, which a busy machine makes slow.
    const results = await Promise.all(
      Object.keys(kinds).map((expression) => orchestra(["next", expression, "--from", "2024-03-03T07:36:47Z", "--json", "-n", "1"])),
    );
    expect(results.map((result) => (JSON.parse(result.stdout) as NextJson).kind)).toEqual(Object.values(kinds));
  }, 30_000);

  it("defaults to UTC, from now, five fires", async () => {
    const result = await orchestra(["next", "every day at 9:00", "--json"]);
    const report = JSON.parse(result.stdout) as NextJson;
    expect(report.timezone).toBe("UTC");
    expect(report.next).toHaveLength(5);
    const first = Date.parse(report.next[0] ?? "");
    expect(first).toBeGreaterThan(Date.now() - 60_000);
    expect(first - Date.now()).toBeLessThanOrEqual(86_400_000);
  });

  it("prints the kind, then one line per fire in the job's zone with its offset", async () => {
    const result = await orchestra(["next", "every day at 2:30", "--tz", "Europe/Berlin", "--from", "2024-03-30T12:00:00Z", "-n", "2"]);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("DAILY  every day at 02:30:00 (Europe/Berlin)");
    expect(lines[1]).toContain("2024-03-31 03:30:00+02:00");
    expect(lines[2]).toContain("2024-04-01 02:30:00+02:00");
    expect(lines).toHaveLength(3);
  });

  it("reads --from without an offset as the wall clock of --tz", async () => {
    const result = await orchestra(["next", "every hour", "--tz", "Asia/Kathmandu", "--from", "2024-06-01T10:20:00", "--json", "-n", "1"]);
    expect((JSON.parse(result.stdout) as NextJson).next).toEqual(["2024-06-01T11:00:00+05:45"]);
  });

  it("an invalid expression exits 2 with the error, its column and a suggestion on stderr", async () => {
    const result = await orchestra(["next", "every Mondey at 3:15"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain('unknown word "Mondey" at column 7; did you mean "Monday"?');
    expect(result.stderr).toContain("        ^^^^^^");
    expect(result.stderr).not.toMatch(/\bat .*\.(?:js|ts):\d+/); // no stack trace
  });

  it("separate numbers are refused with the clock reading they meant, never run as two times a day", async () => {
    const [split, bare] = await Promise.all([
      orchestra(["next", "every day at 9h15", "--from", "2024-03-03T07:36:47Z"]),
      orchestra(["next", "every day at 9 30", "--from", "2024-03-03T07:36:47Z"]),
    ]);
    expect(split.status).toBe(2);
    expect(split.stdout).toBe("");
    expect(split.stderr).toBe(
      'orchestra: invalid timing expression\n  every day at 9h15\n               ^^^^\n  "9h15" is not a time at column 14; did you mean "9:15"?\n',
    );
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain('"9 30" is not a time at column 14; did you mean "9:30"?');
    expect(bare.stderr).not.toContain("out of range");
  }, 30_000);

  it("an unknown zone exits 2 with a suggestion", async () => {
    const result = await orchestra(["next", "every day at 9:00", "--tz", "Europe/Pariss"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('orchestra: unknown timezone "Europe/Pariss"; did you mean "Europe/Paris"?\n');
  });

  it("--tz with a city alone suggests its zone; --timezone, --time-zone and --zone point to --tz", async () => {
    const [city, timezone, zone] = await Promise.all([
      orchestra(["next", "every day at 9:00", "--tz", "Berlin"]),
      orchestra(["next", "every day at 9:00", "--timezone", "Europe/Berlin"]),
      orchestra(["next", "every day at 9:00", "--zone=Europe/Berlin"]),
    ]);
    expect(city.status).toBe(2);
    expect(city.stderr).toBe('orchestra: unknown timezone "Berlin"; did you mean "Europe/Berlin"?\n');
    expect(timezone.status).toBe(2);
    expect(timezone.stdout).toBe("");
    expect(timezone.stderr).toMatch(/^error: unknown option '--timezone'\n\(Did you mean --tz\?\)\n/);
    expect(zone.stderr).toMatch(/^error: unknown option '--zone'\n\(Did you mean --tz\?\)\n/);
    expect((await orchestra(["next", "--help"])).stdout).not.toContain("--timezone");
  }, 30_000);

  it("bad options exit 2 too", async () => {
    expect((await orchestra(["next", "every day", "-n", "0"])).status).toBe(2);
    expect((await orchestra(["next", "every day", "--from", "yesterday"])).stderr).toContain("--from must be an ISO 8601 date-time");
    expect((await orchestra(["next"])).status).toBe(2);
    expect((await orchestra(["nope"])).status).toBe(2);
  }, 30_000); // four Node processes one after another: 3.7 s on an idle two-core machine, more beside other suites

  it("--help works and exits 0", async () => {
    const result = await orchestra(["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("next [options] <expression>");
  });
});
