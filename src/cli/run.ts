import type { Command } from "commander";
import { Orchestra } from "../orchestra.ts";
import { printEvents } from "./event-log.ts";
import type { CliIo } from "./io.ts";
import { queuesOption, seconds, wholeNumberAtLeastOne } from "./options.ts";
import { onShutdownSignal } from "./signals.ts";

interface RunOptions {
  readonly worker: boolean;
  readonly concurrency: number;
  readonly queues: string[];
  readonly broker?: string;
  readonly backend?: string;
  readonly grace: number;
}

export function registerRun(program: Command, io: CliIo): void {
  program
    .command("run")
    .description("run the scheduler on a schedule file, with an in-process worker (orchestra.db beside the file)")
    .argument("<file>", "schedule file (YAML or JSON)")
    .option("--no-worker", "only schedule; tasks are run by separate `orchestra worker` processes")
    .option("--concurrency <n>", "tasks the in-process worker runs at once", wholeNumberAtLeastOne, 4)
    .addOption(queuesOption("queues the in-process worker serves, comma-separated"))
    .option("--broker <url>", "queue location: sqlite:///path.db or a file path")
    .option("--backend <url>", "store location: sqlite:///path.db or a file path")
    .option("--grace <seconds>", "on shutdown, how long running tasks may finish", seconds, 10)
    .action(async (file: string, options: RunOptions) => {
      await runSchedule(file, options, io);
    });
}

async function runSchedule(file: string, options: RunOptions, io: CliIo): Promise<void> {
  const orchestra = new Orchestra({
    ...(options.broker === undefined ? {} : { broker: options.broker }),
    ...(options.backend === undefined ? {} : { backend: options.backend }),
    worker: options.worker ? { concurrency: options.concurrency, queues: options.queues } : false,
    onEvent: printEvents(io),
  });
  await orchestra.createSchedule(file);
  io.stdout(`Store: ${await orchestra.location()}\n`);
  const release = onShutdownSignal((signal) => {
    io.stdout(`Received ${signal}: stopping (running tasks have ${options.grace} s to finish)\n`);
    void orchestra.stop(options.grace * 1000);
  });
  try {
    await orchestra.run();
    io.stdout("Orchestra stopped\n");
  } finally {
    release();
  }
}
