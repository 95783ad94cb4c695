import { Option, type Command } from "commander";
import { API_TOKEN_VARIABLE, DEFAULT_API_ADDRESS } from "../api/settings.ts";
import { fromWorkingDirectory } from "../config/from-working-directory.ts";
import { parseLocation } from "../config/locations.ts";
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
      // Loaded when the command runs: a worker process, or `orchestra validate`, need not load the
      // scheduler, the REST API and the live table (about 0.25 s and 15 MB of a worker's start).
      const located = fromWorkingDirectoryOptions(options);
      await checkRedisBroker(located.broker);
      const { runSchedule } = await import("./run-schedule.ts");
      await runSchedule(file, located, io);
    });
}

/**
 * A --broker or --backend path given is the working directory's, as for `orchestra worker`; only the
 * default (none given) lives beside the schedule file. (Orchestra resolves relative paths beside it.)
 */
function fromWorkingDirectoryOptions(options: RunOptions): RunOptions {
  const cwd = process.cwd();
  return {
    ...options,
    ...(options.broker === undefined ? {} : { broker: fromWorkingDirectory(options.broker, "broker", cwd) }),
    ...(options.backend === undefined ? {} : { backend: fromWorkingDirectory(options.backend, "backend", cwd) }),
  };
}

/** A Redis broker that refuses the URL's password or database stops `run` at once (see checkRedisAtStartup). */
async function checkRedisBroker(broker: string | undefined): Promise<void> {
  const location = broker === undefined ? undefined : parseLocation(broker, process.cwd(), "broker");
  if (location?.kind !== "redis") return;
  // Loaded only for Redis: BullMQ is no part of a SQLite run's start.
  const { checkRedisAtStartup } = await import("../broker/bullmq/startup-check.ts");
  await checkRedisAtStartup(location);
}
