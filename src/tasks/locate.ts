import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Extensions whose files are compiled on import by tsx; every other file is imported by Node itself. */
export const TYPESCRIPT_EXTENSIONS: readonly string[] = [".ts", ".mts", ".cts", ".tsx"];

/** Tried in this order when a path specifier has no extension (`module: ./tasks`). */
export const MODULE_EXTENSIONS: readonly string[] = [".ts", ".mts", ".js", ".mjs", ".cts", ".cjs"];

/** Whether the specifier names a file (`./tasks.ts`, `../x.mjs`, `/abs/tasks.ts`, `file:///…`) rather than a package. */
export function isPathSpecifier(specifier: string): boolean {
  return (
    specifier === "." ||
    specifier === ".." ||
    /^\.\.?[\\/]/.test(specifier) ||
    specifier.startsWith("file:") ||
    path.isAbsolute(specifier)
  );
}

/**
 * The module as a job definition stores it: a path specifier made absolute against `baseDir` (so the
 * job means the same file whatever the worker's working directory), a package name unchanged. Pure:
 * does not look at the disk.
 *
 * @example
 * absoluteModule("./tasks.ts", "/srv/app"); // "/srv/app/tasks.ts"
 * absoluteModule("@acme/tasks", "/srv/app"); // "@acme/tasks"
 */
export function absoluteModule(specifier: string, baseDir: string): string {
  if (specifier.startsWith("file:")) return fileURLToPath(specifier);
  return isPathSpecifier(specifier) ? path.resolve(baseDir, specifier) : specifier;
}

/** Where a specifier leads: a file, or a package that only the ESM resolver can find. */
export type ModuleLocation =
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "package"; readonly specifier: string; readonly parentURL: string };

/**
 * Resolves a package name from `baseDir` the way `require.resolve` does; a package whose `exports`
 * offer only an `import` condition cannot be resolved so, and is left to the ESM resolver at import
 * time. Throws Node's own error (code MODULE_NOT_FOUND) when the package is not installed.
 */
export function locatePackage(specifier: string, baseDir: string): ModuleLocation {
  const parent = path.join(baseDir, "__orchestra_resolve__.js");
  try {
    return { kind: "file", path: createRequire(parent).resolve(specifier) };
  } catch (error) {
    if (codeOf(error) !== "ERR_PACKAGE_PATH_NOT_EXPORTED") throw error;
    return { kind: "package", specifier, parentURL: pathToFileURL(parent).href };
  }
}

export function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}
