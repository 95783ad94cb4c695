import { afterEach, describe, expect, it } from "vitest";
import { writeEverySecondSchedule } from "../support/every-second.ts";
import { killOnCleanup, startOrchestra } from "../support/process.ts";
import { countOccurrences, occurrenceLedger } from "../support/sqlite-file.ts";
import { tempDir } from "../support/store.ts";

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

describe("two `orchestra run` on one store", () => {
  it("dispatch every occurrence exactly once, and when one is killed the other carries on", async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const { schedule, db } = writeEverySecondSchedule(dir.path);

    const first = killOnCleanup(cleanups, startOrchestra(["run", schedule, "--no-worker", "--no-ui"]));
    await expect.poll(() => countOccurrences(db), { timeout: 15_000, interval: 50 }).toBeGreaterThanOrEqual(1);
    const second = killOnCleanup(cleanups, startOrchestra(["run", schedule, "--no-worker", "--no-ui"]));
    await expect.poll(() => second.output(), { timeout: 15_000, interval: 50 }).toContain("every_second");
    const together = countOccurrences(db);
    await expect.poll(() => countOccurrences(db), { timeout: 15_000, interval: 50 }).toBeGreaterThanOrEqual(together + 3);

    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    const killedAt = countOccurrences(db);
    await expect.poll(() => countOccurrences(db), { timeout: 10_000, interval: 50 }).toBeGreaterThanOrEqual(killedAt + 3);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);

    const ledger = occurrenceLedger(db);
    // Every second from the first due instant to the last, once: none lost to the kill, none doubled by two schedulers.
    const dues = ledger.map((row) => row.due_at);
    const start = dues[0] ?? 0;
    expect(dues).toEqual(dues.map((_, index) => start + index * 1000));
    for (const row of ledger) {
      expect(row.outcome, `outcome of ${row.due_at}`).toBe("dispatched");
      expect([row.runs, row.messages], `runs and messages of ${row.due_at}`).toEqual([1, 1]);
    }
  }, 60_000);
});
