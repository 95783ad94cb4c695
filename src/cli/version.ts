import { readFileSync } from "node:fs";

/**
 * The package's version, for `orchestra --version`: read from package.json, two folders up from both
 * src/cli and dist/cli, so that a release never prints a number someone forgot to bump here.
 */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
  if (typeof manifest.version !== "string") throw new Error("package.json has no version");
  return manifest.version;
}
