import type { Command } from "commander";
import { Orchestra } from "../orchestra.ts";
import { describeEvent } from "./event-log.ts";
import { UsageError, type CliIo } from "./io.ts";
import { onShutdownSignal } from "./signals.ts";

interface RunOptions {
  readonly worker: boolean;
  readonly concurrency?: string;
  readonly queues?: string;
  readonly broker?: string;
  readonly backend?: string;
  readonly grace: string;
}

export function registerRun(program: Command, io: CliIo): void {
  program
    .command("run")
    .description("run the scheduler on a schedule file, with an in-process worker (orchestra.db beside the file)")
    .argument("<file>", "schedule file (YAML or JSON)")
    .option("--no-worker", "only schedule; tasks are run by separate `orchestra worker` processes")
    .option("--concurrency <n>", "tasks the in-process worker runs at once", "4")
    .option("--queues <names>", "queues the in-process worker serves, comma-separated", "default")
    .option("--broker <url>", "queue location: sqlite:///path.db or a file path")
    .option("--backend <url>", "store location: sqlite:///path.db or a file path")
    .option("--grace <seconds>", "on shutdown, how long running tasks may finish", "10")
    .action(async (file: string, options: RunOptions) => {
      await runSchedule(file, options, io);
    });
}

async function runSchedule(file: string, options: RunOptions, io: CliIo): Promise<void> {
  const concurrency = positiveInteger(options.concurrency ?? "4", "--concurrency");
  const graceSeconds = Number(options.grace);
  if (!Number.isFinite(graceSeconds) || graceSeconds < 0) throw new UsageError(`--grace must be a number of seconds, not "${options.grace}"`);
  const queues = (options.queues ?? "default").split(",").map((queue) => queue.trim()).filter((queue) => queue !== "");
  const orchestra = new Orchestra({
    ...(options.broker === undefined ? {} : { broker: options.broker }),
    ...(options.backend === undefined ? {} : { backend: options.backend }),
    worker: options.worker ? { concurrency, queues } : false,
    onEvent: (event) => {
      const line = describeEvent(event, Date.now());
      if (line !== null) io.stdout(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
    },
  });
  await orchestra.createSchedule(file);
  io.stdout(`Store: ${await orchestra.location()}\n`);
  const release = onShutdownSignal((signal) => {
    io.stdout(`Received ${signal}: stopping (running tasks have ${graceSeconds} s to finish)\n`);
    void orchestra.stop(graceSeconds * 1000);
  });
  try {
    await orchestra.run();
    io.stdout("Orchestra stopped\n");
  } finally {
    release();
  }
}

export function positiveInteger(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${option} must be a whole number of at least 1, not "${text}"`);
  return value;
}
