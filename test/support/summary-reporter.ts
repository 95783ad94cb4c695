import type { Reporter, TestModule } from "vitest/node";

/**
 * Ends the run with one plain line, `Tests: N passed, N failed, N skipped`, which any CI reads
 * the same way whatever the test runner. Above it, why tests were skipped (`ctx.skip(reason)`), so a
 * suite skipped for a missing service says so.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const reasons = new Map<string, number>();
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === "passed") passed++;
        else if (result.state === "failed") failed++;
        else {
          skipped++;
          if (result.state === "skipped" && result.note !== undefined) reasons.set(result.note, (reasons.get(result.note) ?? 0) + 1);
        }
      }
    }
    for (const [reason, count] of reasons) process.stdout.write(`\nSkipped ${count} test${count === 1 ? "" : "s"}: ${reason}`);
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
