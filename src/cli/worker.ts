import type { Command } from "commander";
import type { Logger } from "pino";
import { existsSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseListenAddress } from "../api/settings.ts";
import { checkRedisAtStartup } from "../broker/bullmq/startup-check.ts";
import { openBroker, type TaskWorker } from "../broker/open.ts";
import { resolveLocations } from "../config/locations.ts";
import { serveMetrics, type MetricsServer } from "../metrics/serve.ts";
import { WorkerMetrics } from "../metrics/worker-metrics.ts";
import { loadScheduleFile } from "../schedule/load.ts";
import { openStore } from "../store/open.ts";
import { loadTaskModule } from "../tasks/load.ts";
import { moduleTaskResolver } from "../worker/module-resolver.ts";
import { withBatchedWriter } from "../log/batched-writer.ts";
import { eventLogger } from "../log/event-logger.ts";
import { createLogger, type LogFormat } from "../log/logger.ts";
import type { LogLevel } from "../log/records.ts";
import { colorsEnabled } from "../ui/paint.ts";
import { UsageError, type CliIo } from "./io.ts";
import { backendOption, brokerOption, logFormatOption, logLevelOption, positiveSeconds, queuesOption, seconds, wholeNumberAtLeastOne } from "./options.ts";
import { onShutdownSignal } from "./signals.ts";

type ListenAddress = ReturnType<typeof parseListenAddress>;

interface WorkerOptions {
  readonly schedule?: string;
  readonly module?: string[];
  readonly queues: string[];
  readonly concurrency: number;
  readonly broker?: string;
  readonly backend?: string;
  readonly grace: number;
  readonly lease: number;
  readonly logFormat: LogFormat;
  readonly logLevel: LogLevel;
  readonly metricsAddress?: string;
}

export function registerWorker(program: Command, io: CliIo): void {
  program
    .command("worker")
    .description("run tasks from the queue until SIGINT/SIGTERM")
    .option("--schedule <file>", "schedule file: its tasks are checked first, and its orchestra.db is used")
    .option("--module <module...>", "task module(s) to load up front (fails fast when one does not load)")
    .addOption(queuesOption("queues to serve, comma-separated"))
    .option("--concurrency <n>", "tasks run at once", wholeNumberAtLeastOne, 4)
    .addOption(brokerOption("queue location: sqlite:///path.db, a file path, or redis://host:6379/0 (default: beside the schedule, or ./orchestra.db)"))
    .addOption(
      backendOption("with a Redis broker, where runs are recorded: sqlite:///path.db, a file path or postgresql://… (default: beside the schedule, or ./orchestra.db)"),
    )
    .option("--grace <seconds>", "on shutdown, how long running tasks may finish", seconds, 10)
    .option("--lease <seconds>", "a claimed task returns to the queue this long after its worker stops renewing it (died)", positiveSeconds, 30)
    .addOption(logFormatOption())
    .addOption(logLevelOption())
    .option("--metrics-address <host:port>", "serve Prometheus metrics of this worker's runs at http://HOST:PORT/metrics")
    .action(async (options: WorkerOptions) => {
      await runWorker(options, io);
    });
}

async function runWorker(options: WorkerOptions, io: CliIo): Promise<void> {
  if (options.schedule === undefined && options.module === undefined) throw new UsageError("give --schedule FILE or --module MODULE");
  // Read before anything opens: a bad address is refused at once.
  const metricsAt = options.metricsAddress === undefined ? null : parseListenAddress(options.metricsAddress, "metrics");
  const baseDir = options.schedule === undefined ? process.cwd() : dirname(resolve(options.schedule));
  if (options.schedule !== undefined) await loadScheduleFile(resolve(options.schedule));
  for (const module of options.module ?? []) await loadTaskModule(module, { baseDir: process.cwd() });
  // The same structured log as `orchestra run`: one line per event, human or JSON; the lines of a turn
  // of the event loop in one write (a line per run, thousands a second).
  await withBatchedWriter(io.stdout, async (out) => {
    await serve(options, metricsAt, baseDir, createLogger({ format: options.logFormat, level: options.logLevel, colors: colorsEnabled(process.stdout, process.env), write: out.write }));
  });
}

async function serve(options: WorkerOptions, metricsAt: ListenAddress | null, baseDir: string, logger: Logger): Promise<void> {
  const locations = resolveLocations(options.broker, options.backend, process.cwd(), baseDir);
  // A Redis that refuses the URL's password or database stops the worker before anything is opened.
  if (locations.broker.kind === "redis") await checkRedisAtStartup(locations.broker);
  // A worker on Redis records into the scheduler's store: one it has to create is most likely not that.
  const newStore = locations.broker.kind === "redis" && locations.store.kind === "sqlite" && locations.store.path !== ":memory:" && !existsSync(locations.store.path);
  const store = await openStore(locations.store, {
    onUnreachable: (error) => {
      logger.warn({ event: "store-unreachable", error: error.message }, error.message);
    },
  });
  const broker = await openBroker(locations.broker, store, { dispatch: false }).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  await broker.verifyStore().catch(async (error: unknown) => {
    await broker.close();
    await store.close();
    // A file made a moment ago for nothing: not left behind to be mistaken for a store later.
    if (newStore) for (const suffix of ["", "-wal", "-shm"]) rmSync(`${locations.store.path}${suffix}`, { force: true });
    throw error;
  });
  const logEvent = eventLogger(logger, Date.now);
  const metrics = metricsAt === null ? null : { at: metricsAt, counts: new WorkerMetrics() };
  const worker = broker.createWorker({
    resolveTask: moduleTaskResolver(baseDir),
    queues: options.queues,
    concurrency: options.concurrency,
    leaseMs: options.lease * 1000,
    onEvent: (event) => {
      metrics?.counts.record(event);
      logEvent(event);
    },
  });
  const metricsServer =
    metrics === null
      ? null
      : await startMetrics(metrics.at, metrics.counts, worker).catch(async (error: unknown) => {
          await broker.close();
          await store.close();
          throw error;
        });
  const from = broker.location === store.location ? store.location : `${broker.location}, recording runs in ${store.location}`;
  logger.info({ event: "worker-started", worker: worker.id, queues: options.queues, concurrency: options.concurrency }, `Worker ${worker.id} serving ${options.queues.join(", ")} from ${from}`);
  if (metricsServer !== null) logger.info({ event: "metrics-listening", url: metricsServer.url }, `Metrics on ${metricsServer.url}`);
  if (newStore) {
    logger.warn(
      { event: "new-store", store: store.location },
      `The store ${store.location} did not exist and was created: runs are recorded in the scheduler's store, so give this worker the scheduler's --backend`,
    );
  }
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolveStopped) => {
    stop = resolveStopped;
  });
  const release = onShutdownSignal(
    (signal) => {
      logger.info({ event: "stopping", signal, grace: options.grace }, `Received ${signal}: finishing running tasks (up to ${options.grace} s)`);
      stop();
    },
    (signal) => {
      logger.warn(
        { event: "exiting", signal, running: worker.running },
        `Received ${signal} again: exiting now; tasks still running (${worker.running}) run again on a worker once their lease (${options.lease} s) runs out`,
      );
    },
  );
  worker.start();
  try {
    await stopped;
    await worker.stop(options.grace * 1000);
  } finally {
    release();
    await metricsServer?.close();
    await broker.close();
    await store.close();
  }
  logger.info({ event: "stopped" }, "Worker stopped");
}

function startMetrics({ host, port }: ListenAddress, metrics: WorkerMetrics, worker: TaskWorker): Promise<MetricsServer> {
  return serveMetrics(host, port, async () => ({ contentType: metrics.contentType, text: await metrics.render(worker.running) }));
}
