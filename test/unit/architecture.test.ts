import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Each file's relative imports that exist at run time (`import type` is erased, so it cannot cycle). */
function runtimeImports(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, "utf8");
    const imports = [...text.matchAll(/^(?:import|export)(?!\s+type\b)(?:[^'"]*?from)?\s*["'](\.[^"']+)["']/gm)].map((match) => resolve(dirname(file), match[1] ?? ""));
    graph.set(file, imports);
  }
  return graph;
}

describe("the source tree's shape", () => {
  it("has no import cycles (a module's top level never runs before what it imports)", () => {
    const graph = runtimeImports();
    const state = new Map<string, "open" | "done">();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      state.set(file, "open");
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === "open") cycles.push([...path.slice(path.indexOf(next)), file, next].map((p) => relative(SRC, p)).join(" → "));
        else if (state.get(next) === undefined) visit(next, [...path, file]);
      }
      state.set(file, "done");
    };
    for (const file of graph.keys()) if (state.get(file) === undefined) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it("keeps the timing engine pure: it imports only itself, its errors and plain utilities, and never reads the clock", () => {
    const timing = join(SRC, "timing");
    for (const file of sourceFiles(timing)) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/(?:from\s+|^import\s+)["'](\.[^"']+)["']/gm)) {
        const target = relative(SRC, resolve(dirname(file), match[1] ?? ""));
        expect(target, `${relative(SRC, file)} imports ${target}`).toMatch(/^(timing|errors|util)\//);
      }
      expect(text, relative(SRC, file)).not.toMatch(/Date\.now\(|new Date\(\)|performance\.now\(/);
    }
  });
});
