/** The comparative results as markdown tables (bench/results/summary.md). */
import { formatBytes, formatInt, formatMs } from "../fixtures/support.ts";
import type { MixName } from "./mix.ts";
import type { LatenessResult, SystemName } from "./protocol.ts";
import type { System } from "./systems.ts";
import type { RawJobShape, ThroughputResult } from "./throughput.ts";

export interface LatenessCell {
  readonly system: SystemName;
  readonly mix: MixName;
  readonly jobs: number;
  readonly result: LatenessResult | null;
  /** "not installed: …" / "failed: …" */
  readonly failure: string | null;
}

export interface ThroughputCell {
  readonly system: SystemName;
  /** Raw BullMQ's jobs (see RawJobShape): `plain` when absent. */
  readonly shape?: RawJobShape;
  /** Orchestra on Redis's workers' `--log-level`: `info` (a line per run) when absent. */
  readonly logLevel?: "warn";
  readonly workers: number;
  /** The median round's (by tasks/s), or the only one. */
  readonly result: ThroughputResult | null;
  /**
   * Every round's, in round order (null: that round failed): the Redis systems run in rounds, each
   * round every variant once, so that a ratio compares runs made minutes apart, not a whole run apart.
   */
  readonly rounds?: readonly (ThroughputResult | null)[];
  readonly failure: string | null;
}

export interface CompareResults {
  readonly date: string;
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly quick: boolean;
  readonly method: { readonly sizes: readonly number[]; readonly warmupMs: number; readonly windowMs: number; readonly drainLimitMs: number; readonly tasks: number };
  readonly systems: readonly System[];
  readonly lateness: readonly LatenessCell[];
  readonly throughput: readonly ThroughputCell[];
  readonly seconds: number;
  /** Set when `--throughput-only` measured tasks/s again beside an earlier run's lateness results. */
  readonly latenessDate?: string;
  readonly throughputRerunAt?: string;
}

/** Share of the expected occurrences not seen by the end of the observation. */
export function lostShare(r: LatenessResult): number {
  return r.check.expected === 0 ? 0 : r.check.lost / r.check.expected;
}

/** Above this share of lost occurrences, a run's lateness is not compared: it describes the few that made it. */
export const LOST_LIMIT = 0.01;

/** Lateness ratios use at least 1 ms on each side, so a 0 ms p99 does not make an infinite ratio. */
export function ratio(value: number, base: number): string {
  if (!Number.isFinite(value) || !Number.isFinite(base)) return "–";
  return `${(Math.max(1, value) / Math.max(1, base)).toFixed(1)}×`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function header(cells: readonly string[], right: readonly boolean[]): string {
  return `${row(cells)}\n${row(right.map((r) => (r ? "---:" : "---")))}`;
}

function labelOf(results: CompareResults, system: SystemName): string {
  return results.systems.find((s) => s.name === system)?.label ?? system;
}

function lossCell(r: LatenessResult): string {
  const c = r.check;
  const parts = [`${formatInt(c.lost)} lost`, `${formatInt(c.duplicated)} dup`];
  if (c.unexpected > 0) parts.push(`${formatInt(c.unexpected)} unexpected`);
  return parts.join(", ");
}

function latenessTable(results: CompareResults, mix: MixName): string {
  const herd = mix === "herd";
  const lines = [
    header(
      ["jobs", "system", "p50", "p99", "p99.9", "max", ...(herd ? ["drain"] : []), "expected", "lost / duplicated", herd ? "drain vs Orchestra" : "p99 vs Orchestra", "notes"],
      [true, false, true, true, true, true, ...(herd ? [true] : []), true, false, true, false],
    ),
  ];
  for (const jobs of results.method.sizes) {
    const base = results.lateness.find((c) => c.mix === mix && c.jobs === jobs && c.system === "orchestra")?.result;
    for (const cell of results.lateness.filter((c) => c.mix === mix && c.jobs === jobs)) {
      const r = cell.result;
      if (r === null) {
        lines.push(row([formatInt(jobs), labelOf(results, cell.system), ...Array<string>(herd ? 9 : 8).fill(""), cell.failure ?? ""]));
        continue;
      }
      const l = r.check.lateness;
      const drain = r.check.lastMs;
      lines.push(
        row([
          formatInt(jobs),
          labelOf(results, cell.system),
          formatMs(l.p50),
          formatMs(l.p99),
          formatMs(l.p999),
          formatMs(l.max),
          ...(herd ? [formatMs(drain)] : []),
          formatInt(r.check.expected),
          lossCell(r),
          base == null
            ? "–"
            : lostShare(r) > LOST_LIMIT
              ? `n/a: ${(lostShare(r) * 100).toFixed(0)} % not seen`
              : herd
                ? ratio(drain, base.check.lastMs)
                : ratio(l.p99, base.check.lateness.p99),
          [cell.failure ?? "", ...r.notes].filter((n) => n !== "").join("; "),
        ]),
      );
    }
  }
  return lines.join("\n");
}

/** Memory slope between the smallest and largest size: what one more job costs. */
function memoryPerJob(results: CompareResults, system: SystemName): number {
  const runs = results.lateness.filter((c) => c.system === system && c.mix === "staggered" && c.result !== null).map((c) => c.result as LatenessResult);
  const small = runs[0];
  const large = runs.at(-1);
  if (small === undefined || large === undefined || large.jobs === small.jobs) return large === undefined ? NaN : large.memoryBytes / large.jobs;
  return (large.memoryBytes - small.memoryBytes) / (large.jobs - small.jobs);
}

function resourcesTable(results: CompareResults): string {
  const largest = results.method.sizes.at(-1) ?? 0;
  const lines = [
    header(["system", "memory / job", "memory at largest", "start → first dispatch", "set-up (store the jobs)", "store / job"], [false, true, true, true, true, true]),
  ];
  for (const system of results.systems) {
    const cell = results.lateness.find((c) => c.system === system.name && c.mix === "staggered" && c.jobs === largest);
    const r = cell?.result ?? null;
    if (r === null) {
      lines.push(row([system.label, "", "", "", "", cell?.failure ?? system.unavailable ?? ""]));
      continue;
    }
    lines.push(
      row([
        system.label,
        formatBytes(memoryPerJob(results, system.name)),
        formatBytes(r.memoryBytes),
        `${formatMs(r.startToFirstMs)} ms`,
        `${formatMs(r.setupMs)} ms`,
        formatBytes(r.storeBytesPerJob),
      ]),
    );
  }
  return lines.join("\n");
}

/** Throughput is measured with plain queues: BullMQ there is `addBulk` + Worker, not its schedulers. */
function throughputLabel(results: CompareResults, cell: ThroughputCell): string {
  if (cell.system !== "bullmq") return cell.logLevel === "warn" ? `${labelOf(results, cell.system)}, workers at --log-level warn (no line per run)` : labelOf(results, cell.system);
  return cell.shape === "orchestra" ? "raw BullMQ, jobs shaped as Orchestra's (kept 1 h, its message and options)" : "raw BullMQ (addBulk + Worker)";
}

/** The ratio of each round's rate to the same round's rate of `base` (rounds where both ran). */
function roundRatios(cell: ThroughputCell, base: ThroughputCell): number[] {
  const mine = cell.rounds ?? [];
  const theirs = base.rounds ?? [];
  return mine.flatMap((round, index) => {
    const other = theirs[index];
    return round == null || other == null ? [] : [round.steadyPerSecond / other.steadyPerSecond];
  });
}

/**
 * Each system's rate beside Orchestra embedded's and beside raw BullMQ's, with the same number of worker
 * processes (Orchestra on Redis against raw BullMQ is issue 6's ratio: the cost of the ledger).
 */
function throughputTable(results: CompareResults): string {
  const columns = ["system", "workers × concurrency", "tasks", "completed", "tasks/s (steady)", "vs Orchestra embedded", "vs raw BullMQ", "CPU/task: workers", "CPU/task: Redis", "notes"];
  const lines = [header(columns, [false, true, true, true, true, true, true, true, true, false])];
  const micros = (us: number | null | undefined): string => (us == null ? "–" : `${us.toFixed(0)} µs`);
  for (const cell of results.throughput) {
    const r = cell.result;
    const ratioTo = (system: SystemName): string => {
      const base = results.throughput.find((c) => c.system === system && c.shape === undefined && c.logLevel === undefined && c.workers === cell.workers);
      if (r === null || base?.result == null) return "–";
      const median = `${(r.steadyPerSecond / base.result.steadyPerSecond).toFixed(2)}×`;
      const range = roundRatios(cell, base);
      return range.length < 2 || base === cell ? median : `${median} (${Math.min(...range).toFixed(2)}–${Math.max(...range).toFixed(2)})`;
    };
    const rates = (cell.rounds ?? []).flatMap((round) => (round === null ? [] : [round.steadyPerSecond]));
    lines.push(
      r === null
        ? row([throughputLabel(results, cell), String(cell.workers), "", "", "", "", "", "", "", cell.failure ?? ""])
        : row([
            throughputLabel(results, cell),
            `${r.workers} × ${r.concurrency}`,
            formatInt(r.tasks),
            formatInt(r.completed),
            rates.length < 2 ? formatInt(r.steadyPerSecond) : `${formatInt(r.steadyPerSecond)} (${formatInt(Math.min(...rates))}–${formatInt(Math.max(...rates))})`,
            ratioTo("orchestra"),
            ratioTo("bullmq"),
            micros(r.cpu?.workerUs),
            micros(r.cpu?.redisUs),
            [cell.failure ?? "", r.timedOut ? "deadline reached" : ""].filter((n) => n !== "").join("; "),
          ]),
    );
  }
  return lines.join("\n");
}

export function summaryMarkdown(results: CompareResults): string {
  const m = results.method;
  return [
    `# Orchestra beside its peers${results.quick ? " (quick run)" : ""}`,
    "",
    `${results.date}, Node ${results.node}, ${results.platform}, ${results.cpus} cores; ${results.seconds} s in all. ` +
      `Systems: ${results.systems.map((s) => `${s.label} (${s.unavailable ?? s.version})`).join(", ")}.`,
    "Ratios against Orchestra embedded are the headline; absolute times depend on the machine.",
    ...(results.latenessDate === undefined ? [] : [`Lateness, memory and start-up from the run of ${results.latenessDate}; tasks/s measured again at ${results.throughputRerunAt ?? "?"} (--throughput-only).`]),
    "",
    `## Dispatch lateness — staggered (1 job in 100 every second, the rest every minute at second i mod 60; ${m.windowMs / 1000} s window after ${m.warmupMs / 1000} s warm-up), ms`,
    "",
    latenessTable(results, "staggered"),
    "",
    `## Dispatch lateness — herd (every job due at the same second; drain = last dispatch − that second; limit ${m.drainLimitMs / 1000} s), ms`,
    "",
    latenessTable(results, "herd"),
    "",
    "Lateness percentiles are over the occurrences seen. *Lost* = expected but not seen by the end of the observation (the window + 2 s; herd: the drain limit), i.e. lost or later than that; *dup* = seen more than once. With more than 1 % lost, no ratio is given. Ratios count at least 1 ms on each side, so against a 0 ms p99 (every message sent ahead of its instant) a ratio is the other system's p99 in ms. A negative drain: the last job was sent before the herd's second.",
    "",
    "## Memory, start-up and store (staggered runs, largest size)",
    "",
    resourcesTable(results),
    "",
    "Memory / job is the growth from the smallest to the largest size of the scheduling process's RSS (Orchestra, Celery beat); for BullMQ, whose schedulers live in Redis, it is Redis `used_memory` growth. Start → first dispatch includes up to 1 s of waiting for the next whole second (the jobs are due on whole seconds) and, for Celery, Python's start.",
    "",
    `## Tasks per second through each broker (${formatInt(m.tasks)} trivial tasks)`,
    "",
    throughputTable(results),
    "",
    "The Redis rows run in rounds (each round every variant once, 1 then 4 workers, in an order that turns with each round): the median round, in brackets the range over the rounds; a ratio's range pairs the runs of one round. Orchestra embedded runs once (bench/e2e.bench.ts).",
    "",
  ].join("\n");
}
