import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { positiveSeconds, seconds } from "../../../src/cli/options.ts";

describe("seconds options (--grace, --lease)", () => {
  it("take what a Node.js timer can wait, up to 2147483 s", () => {
    expect(seconds("0")).toBe(0);
    expect(seconds("2.5")).toBe(2.5);
    expect(seconds("2147483")).toBe(2_147_483);
    expect(positiveSeconds("0.1")).toBe(0.1);
    expect(positiveSeconds("2147483")).toBe(2_147_483);
  });

  it("refuse longer ones (they would fire after 1 ms), naming the maximum", () => {
    for (const text of ["3000000", "2147484", "1e10"]) {
      expect(() => seconds(text)).toThrow(new InvalidArgumentError("must be a number of seconds from 0 to 2147483 (about 24.8 days, the longest a Node.js timer waits)."));
      expect(() => positiveSeconds(text)).toThrow(/at most 2147483 \(about 24\.8 days/);
    }
  });

  it("say the rule they apply: --lease takes more than 0", () => {
    for (const text of ["abc", "0", "-1", "", "Infinity"]) {
      expect(() => positiveSeconds(text)).toThrow(
        new InvalidArgumentError("must be a number of seconds more than 0 and at most 2147483 (about 24.8 days, the longest a Node.js timer waits)."),
      );
    }
    expect(() => seconds("-1")).toThrow(/from 0 to 2147483/);
  });
});
