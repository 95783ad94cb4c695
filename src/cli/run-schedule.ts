import type { Logger } from "pino";
import { eventLogger } from "../log/event-logger.ts";
import { firstLine } from "../log/records.ts";
import { withBatchedWriter, type BatchedWriter } from "../log/batched-writer.ts";
import { createLogger, type LogFormat } from "../log/logger.ts";
import type { LogLevel } from "../log/records.ts";
import { Orchestra } from "../orchestra.ts";
import type { JobView } from "../jobs/view.ts";
import { LiveView } from "../ui/live-view.ts";
import { colorsEnabled } from "../ui/paint.ts";
import type { CliIo } from "./io.ts";
import { onShutdownSignal } from "./signals.ts";

export interface RunOptions {
  readonly worker: boolean;
  readonly concurrency: number;
  readonly queues: string[];
  readonly broker?: string;
  readonly backend?: string;
  readonly grace: number;
  readonly ui: boolean;
  readonly logFormat: LogFormat;
  readonly logLevel: LogLevel;
  readonly api?: boolean;
  readonly apiAddress?: string;
  readonly apiToken?: string;
}

/**
 * On a terminal: the live table, with the log above it. Otherwise (a pipe, a file, `--no-ui`): the log
 * alone, one line per event. Both log formats work either way.
 */
export async function runSchedule(file: string, options: RunOptions, io: CliIo): Promise<void> {
  // Without the table, the lines of a turn of the event loop go out in one write (a line per dispatch).
  await withBatchedWriter(io.stdout, (out) => runScheduleLogged(file, options, out));
}

async function runScheduleLogged(file: string, options: RunOptions, out: BatchedWriter): Promise<void> {
  const terminal = options.ui && process.stdout.isTTY ? process.stdout : null;
  const colors = colorsEnabled(process.stdout, process.env);
  let view: LiveView | null = null;
  const logger = createLogger({
    format: options.logFormat,
    level: options.logLevel,
    colors,
    write: (text) => {
      if (view === null) out.write(text);
      else view.print(text);
    },
  });
  const logEvent = eventLogger(logger, Date.now);
  const orchestra = new Orchestra({
    ...(options.broker === undefined ? {} : { broker: options.broker }),
    ...(options.backend === undefined ? {} : { backend: options.backend }),
    worker: options.worker ? { concurrency: options.concurrency, queues: options.queues } : false,
    api: options.api === true,
    ...(options.apiAddress === undefined ? {} : { apiAddress: options.apiAddress }),
    ...(options.apiToken === undefined ? {} : { apiToken: options.apiToken }),
    onEvent: (event) => {
      logEvent(event);
      view?.record(event);
    },
  });
  await orchestra.createSchedule(file);
  const store = await orchestra.location();
  logger.info({ event: "store", store }, `Store: ${store}`);
  if (options.worker) warnOfUnservedQueues(await orchestra.getJobs(), options.queues, logger);
  if (terminal !== null) {
    view = new LiveView({
      source: orchestra,
      stream: terminal,
      colors,
      runsFromStore: !options.worker,
      onError: (error) => {
        logger.warn({ event: "table-error", error: firstLine(error) }, `Live table: ${firstLine(error)}`);
      },
    });
    out.flush(); // the lines before the table, above it
    view.start();
  }
  const release = onShutdownSignal(
    (signal) => {
      const grace = options.worker ? ` (running tasks have ${options.grace} s to finish)` : "";
      logger.info({ event: "stopping", signal, grace: options.grace }, `Received ${signal}: stopping${grace}`);
      // The table stops reading the store before it closes; it keeps counting while running tasks finish.
      void (async () => {
        await view?.freeze();
        await orchestra.stop(options.grace * 1000);
      })().catch((error: unknown) => {
        logger.error({ event: "error", error: firstLine(error) }, `Error while stopping: ${firstLine(error)}`);
      });
    },
    (signal) => {
      const tasks = options.worker ? "; tasks still running run again once their lease runs out" : "";
      logger.warn({ event: "exiting", signal }, `Received ${signal} again: exiting now${tasks}`);
    },
  );
  try {
    await orchestra.run();
  } finally {
    release();
    await view?.stop();
    view = null;
  }
  logger.info({ event: "stopped" }, "Orchestra stopped");
}

/**
 * Jobs whose queue this process's worker does not serve are dispatched and then wait, without a word,
 * unless a worker elsewhere serves it: say so once, at start.
 */
function warnOfUnservedQueues(jobs: readonly JobView[], served: readonly string[], logger: Logger): void {
  const byQueue = new Map<string, string[]>();
  for (const job of jobs) {
    const queue = job.options.queue ?? "default";
    if (served.includes(queue) || job.state === "Done") continue;
    byQueue.set(queue, [...(byQueue.get(queue) ?? []), job.name]);
  }
  for (const [queue, names] of byQueue) {
    const shown = names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ");
    logger.warn(
      { event: "unserved-queue", queue, jobs: names },
      `Queue "${queue}" (${shown}) is not served by this process's worker (--queues ${served.join(",")}): its tasks wait for a worker that serves it (orchestra worker --queues ${queue}, or add it to --queues)`,
    );
  }
}
