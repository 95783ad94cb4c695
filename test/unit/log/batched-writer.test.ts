import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { batchedWriter, withBatchedWriter } from "../../../src/log/batched-writer.ts";

const exitListeners = process.listenerCount("exit");

describe("batchedWriter", () => {
  it("writes the lines of one turn of the event loop at once, when the turn is over", async () => {
    const writes: string[] = [];
    const out = batchedWriter((text) => writes.push(text));
    out.write("a\n");
    out.write("b\n");
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(["a\nb\n"]);
    out.write("c\n");
    await nextTurn();
    expect(writes).toEqual(["a\nb\n", "c\n"]);
  });

  it("flush writes what is held now, and nothing twice", async () => {
    const writes: string[] = [];
    const out = batchedWriter((text) => writes.push(text));
    out.write("last words\n");
    out.flush();
    expect(writes).toEqual(["last words\n"]);
    out.flush();
    await nextTurn();
    expect(writes).toEqual(["last words\n"]);
  });

  it("does not hold more than 64 KiB: a burst goes out without waiting for the turn to end", () => {
    const writes: string[] = [];
    const out = batchedWriter((text) => writes.push(text));
    const line = `${"x".repeat(1023)}\n`;
    for (let i = 0; i < 64; i++) out.write(line);
    expect(writes).toEqual([line.repeat(64)]);
  });

  it("withBatchedWriter writes what is held when the work ends, also when it fails", async () => {
    const writes: string[] = [];
    await expect(
      withBatchedWriter(
        (text) => writes.push(text),
        (out) => {
          out.write("started\n");
          out.write("failing\n");
          return Promise.reject(new Error("boom"));
        },
      ),
    ).rejects.toThrow("boom");
    expect(writes).toEqual(["started\nfailing\n"]);
    expect(process.listenerCount("exit")).toBe(exitListeners);
  });
});
