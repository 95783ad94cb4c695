import { Command, CommanderError } from "commander";
import { registerNext } from "./next.ts";
import { registerValidate } from "./validate.ts";
import { registerRun } from "./run.ts";
import { registerWorker } from "./worker.ts";
import { watchForBrokenPipe } from "./broken-pipe.ts";
import { ExitCode, renderError, type CliIo } from "./io.ts";
import { packageVersion } from "./version.ts";
import type { Instant } from "../timing/time.ts";

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * Runs the `orchestra` command line and resolves to its exit status. Commands are wired here, one file
 * each; none of them reads the clock except through `now`.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo, now: () => Instant = Date.now): Promise<number> {
  if (io === processIo) watchForBrokenPipe(process.stdout);
  const program = new Command("orchestra")
    .description("Orchestra: a job scheduler on top of a distributed task queue")
    .version(packageVersion(), "-V, --version", "print the version and exit")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerNext(program, io, now);
  registerValidate(program, io);
  registerRun(program, io);
  registerWorker(program, io);
  try {
    await program.parseAsync(argv, { from: "user" });
    return ExitCode.Ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end here with status 0; every usage error with 2, like the invalid inputs.
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    const { text, exitCode } = renderError(error);
    io.stderr(text);
    return exitCode;
  }
}
