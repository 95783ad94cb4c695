import { Option, type Command } from "commander";
import { API_TOKEN_VARIABLE, DEFAULT_API_ADDRESS } from "../api/settings.ts";
import { resolveLocations } from "../config/locations.ts";
import type { CliIo } from "./io.ts";
import { backendOption, brokerOption, logFormatOption, logLevelOption, queuesOption, seconds, wholeNumberAtLeastOne } from "./options.ts";
import type { RunOptions } from "./run-schedule.ts";

export function registerRun(program: Command, io: CliIo): void {
  program
    .command("run")
    .description("run the scheduler on a schedule file, with an in-process worker (orchestra.db beside the file)")
    .argument("<file>", "schedule file (YAML or JSON)")
    .option("--no-worker", "only schedule; tasks are run by separate `orchestra worker` processes")
    .option("--concurrency <n>", "tasks the in-process worker runs at once", wholeNumberAtLeastOne, 4)
    .addOption(queuesOption("queues the in-process worker serves, comma-separated"))
    .addOption(brokerOption("queue location: sqlite:///path.db, a file path, or redis://host:6379/0 (BullMQ)"))
    .addOption(backendOption("store location: sqlite:///path.db, a file path or postgresql://…"))
    .option("--grace <seconds>", "on shutdown, how long running tasks may finish", seconds, 10)
    .option("--no-ui", "no live table, only log lines (the default when stdout is not a terminal)")
    .addOption(logFormatOption())
    .addOption(logLevelOption())
    .option("--api", `serve the REST API (Swagger UI at /docs) on ${DEFAULT_API_ADDRESS}`)
    .addOption(new Option("--api-address <host:port>", "where the REST API listens (implies --api); other than loopback only with a token").implies({ api: true }))
    .addOption(
      new Option("--api-token <token>", `the bearer token the REST API requires (implies --api); better: the ${API_TOKEN_VARIABLE} variable, which ps does not show`).implies({ api: true }),
    )
    .action(async (file: string, options: RunOptions) => {
      // A malformed --broker or --backend is refused before the schedule's modules are imported.
      resolveLocations(options.broker, options.backend, process.cwd());
      // Loaded when the command runs: a worker process, or `orchestra validate`, need not load the
      // scheduler, the REST API and the live table (about 0.25 s and 15 MB of a worker's start).
      const { runSchedule } = await import("./run-schedule.ts");
      await runSchedule(file, options, io);
    });
}
