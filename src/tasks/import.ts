import { register as registerCommonJs } from "tsx/cjs/api";
import { register as registerEsm } from "tsx/esm/api";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { TYPESCRIPT_EXTENSIONS } from "./locate.ts";

/** A module's namespace object: its exports by name. */
export type ModuleExports = Readonly<Record<string, unknown>>;

/**
 * tsx's loaders registered once, under one namespace of their own: task modules written in TypeScript
 * load without a build step, while the rest of the process (the host application that embeds
 * Orchestra) keeps Node's loading untouched. One namespace for all task modules, not one per import
 * like `tsImport`, so a helper imported by two task files is evaluated once. Both the ESM and the
 * CommonJS hooks, so that `.ts` files of a package without `"type": "module"` load too.
 */
const NAMESPACE = "orchestra-tasks";

let importTypeScript: ((specifier: string, parentURL: string) => Promise<unknown>) | undefined;

function typeScriptImporter(): (specifier: string, parentURL: string) => Promise<unknown> {
  if (importTypeScript === undefined) {
    registerCommonJs({ namespace: NAMESPACE });
    const api = registerEsm({ namespace: NAMESPACE });
    importTypeScript = (specifier, parentURL) => api.import(specifier, parentURL) as Promise<unknown>;
  }
  return importTypeScript;
}

/** Imports a file: TypeScript through tsx, JavaScript (`.js`, `.mjs`, `.cjs`) by Node's own `import()`. */
export async function importFile(file: string): Promise<ModuleExports> {
  const url = pathToFileURL(file).href;
  const exports = TYPESCRIPT_EXTENSIONS.includes(path.extname(file))
    ? await typeScriptImporter()(url, url)
    : ((await import(url)) as unknown);
  return exports as ModuleExports;
}

/** Imports a package that only the ESM resolver can find, resolved from `parentURL`. */
export async function importPackage(specifier: string, parentURL: string): Promise<ModuleExports> {
  return (await typeScriptImporter()(specifier, parentURL)) as ModuleExports;
}
