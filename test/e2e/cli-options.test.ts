import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { orchestra } from "../support/cli.ts";

const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

describe("orchestra --version", () => {
  it("prints package.json's version and exits 0", async () => {
    for (const flag of ["--version", "-V"]) {
      const result = await orchestra([flag]);
      expect(result).toEqual({ status: 0, stdout: `${manifest.version}\n`, stderr: "" });
    }
  });
});

describe("seconds options", () => {
  it("refuse a --grace or --lease longer than a timer waits: exit 2, the maximum named, nothing started", async () => {
    const grace = await orchestra(["run", "missing.yaml", "--grace", "3000000"]);
    expect(grace.status).toBe(2);
    expect(grace.stderr).toContain(
      "error: option '--grace <seconds>' argument '3000000' is invalid. must be a number of seconds from 0 to 2147483 (about 24.8 days, the longest a Node.js timer waits).",
    );
    const lease = await orchestra(["worker", "--module", "./missing.mjs", "--lease", "abc"]);
    expect(lease.status).toBe(2);
    expect(lease.stderr).toContain("argument 'abc' is invalid. must be a number of seconds more than 0 and at most 2147483");
  });
});
