import { describe, expect, it } from "vitest";
import { nextFires } from "../../../src/cli/next.ts";

describe("orchestra next", () => {
  it("stops at the last instant a Date holds rather than print an Invalid Date", () => {
    const report = nextFires("every 36500 days", { tz: "UTC", from: "2024-03-03T00:00:00Z", count: "100000" }, () => 0);
    expect(report.next.length).toBeLessThan(100_000);
    expect(report.next.at(-1)).toMatch(/^\+?\d{5,6}-\d{2}-\d{2}T00:00:00\+00:00$/);
    expect(report.next.join(" ")).not.toMatch(/NaN|Invalid/);
  });
});
