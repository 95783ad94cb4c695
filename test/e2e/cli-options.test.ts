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
