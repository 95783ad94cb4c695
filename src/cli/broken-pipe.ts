/**
 * `orchestra run | head`: once the reader is gone, a write to stdout fails with EPIPE, which Node
 * raises as an unhandled 'error' (a stack trace, and the scheduler gone without stopping). Here it
 * becomes what SIGPIPE is to other programs, but graceful: a running command stops as on SIGTERM
 * (see onShutdownSignal), a short one exits at once. Later writes to the closed pipe are dropped.
 */
const listeners = new Set<() => void>();
let broken = false;

export function watchForBrokenPipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    if (broken) return;
    broken = true;
    if (listeners.size === 0) process.exit(0);
    for (const listener of listeners) listener();
  });
}

/** Calls `listener` once stdout's reader has gone; returns how to stop listening. */
export function onBrokenPipe(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
