/** A text sink that holds what it is given until the event loop's next turn. */
export interface BatchedWriter {
  readonly write: (text: string) => void;
  /** Writes what is held now: before the process exits. */
  readonly flush: () => void;
}

/** Held text past this size is written at once, rather than waiting for the turn to end. */
const MAX_HELD_CHARS = 64 * 1024;

/**
 * Lines written in one turn of the event loop leave in one write. A worker logs a line per run,
 * thousands a second, and a write each (synchronous to a file or a terminal) was a tenth of its time;
 * the tasks that end together in a turn now share one. A line waits at most for the current turn to
 * end, so a log read live still reads as it happens.
 */
export function batchedWriter(write: (text: string) => void): BatchedWriter {
  let held: string[] = [];
  let heldChars = 0;
  let scheduled: NodeJS.Immediate | null = null;
  const flush = (): void => {
    if (scheduled !== null) clearImmediate(scheduled);
    scheduled = null;
    if (held.length === 0) return;
    const text = held.join("");
    held = [];
    heldChars = 0;
    write(text);
  };
  return {
    write(text) {
      held.push(text);
      heldChars += text.length;
      if (heldChars >= MAX_HELD_CHARS) flush();
      else scheduled ??= setImmediate(flush);
    },
    flush,
  };
}

/**
 * Runs `work` with a batched writer to `sink`: what it holds is written when `work` ends, however it
 * ends, or when the process exits first (a second signal exits at once).
 */
export async function withBatchedWriter<T>(sink: (text: string) => void, work: (out: BatchedWriter) => Promise<T>): Promise<T> {
  const out = batchedWriter(sink);
  process.once("exit", out.flush);
  try {
    return await work(out);
  } finally {
    out.flush();
    process.removeListener("exit", out.flush);
  }
}
