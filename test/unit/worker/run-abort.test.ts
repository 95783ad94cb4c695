import { describe, expect, it } from "vitest";
import { RunAbort } from "../../../src/worker/run-abort.ts";

describe("a run's abort signal", () => {
  it("is made once, when asked for, and aborts with the reason given", () => {
    const abort = new RunAbort();
    const signal = abort.signal;
    expect(abort.signal).toBe(signal);
    expect(signal.aborted).toBe(false);
    const reason = new Error("the worker is shutting down");
    abort.abort(reason);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
    expect(abort.aborted).toBe(true);
  });

  it("asked for after the abort, is already aborted, with the first reason", () => {
    const abort = new RunAbort();
    abort.abort("first");
    abort.abort("second");
    expect(abort.aborted).toBe(true);
    expect(abort.signal.aborted).toBe(true);
    expect(abort.signal.reason).toBe("first");
  });

  it("tells its listeners once", () => {
    const abort = new RunAbort();
    let heard = 0;
    abort.signal.addEventListener("abort", () => heard++);
    abort.abort("stop");
    abort.abort("stop");
    expect(heard).toBe(1);
  });
});
