#!/usr/bin/env node
// The `orchestra` command. The TypeScript sources are compiled to dist/ by `npm ci` / `npm install` (prepare).
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("orchestra: dist/ is missing; run `npm run build` in the package first\n");
  process.exit(1);
}
const { runCli } = await import(entry.href);
// Exit explicitly: a task module may leave a timer or a pool open, which must not keep a finished command alive.
process.exit(await runCli(process.argv.slice(2)));
