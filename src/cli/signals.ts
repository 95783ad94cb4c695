import { onBrokenPipe } from "./broken-pipe.ts";

/**
 * Calls `stop` on the first SIGINT or SIGTERM, or once stdout's reader has gone (see broken-pipe.ts);
 * a second signal exits at once (status 130), for a user who does not want to wait for running tasks,
 * after `exiting` has said so (the log is written out on exit).
 */
export function onShutdownSignal(stop: (signal: NodeJS.Signals) => void, exiting: (signal: NodeJS.Signals) => void = () => undefined): () => void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) {
      exiting(signal);
      process.exit(130);
    }
    stopping = true;
    stop(signal);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  // Output piped into a reader that went away (`| head`): stop as on SIGTERM, but never force the exit.
  const releasePipe = onBrokenPipe(() => {
    if (!stopping) handler("SIGPIPE");
  });
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
    releasePipe();
  };
}
