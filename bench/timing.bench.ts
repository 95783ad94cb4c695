/**
 * Timing benchmark: parses and next-fire computations per second, per kind; next-fire cost by how far
 * ahead the fire lies; the first-use cost of a zone. It prints numbers; it is not a test.
 *
 *   npm run bench                 aligned tables, then the target check
 *   npm run bench -- --json       the same results as one JSON object on stdout
 *   npm run bench -- --quick      3 × 100 ms per case, for a fast look (numbers are noisier)
 *
 * Method. Every case first runs once untimed, so call sites shared by all cases are polymorphic as in a
 * scheduler that holds jobs of every kind. Then each case is warmed up (≥ WARMUP_MS, and at least one pass over all its reference instants,
 * so every zone bucket it touches is learned and its code is optimised), then timed in REPS repetitions
 * of a fixed BUDGET_MS time budget; a repetition runs batches of ~2 ms between clock reads. Reported:
 * the median (p50) over the repetitions of ops/s and ns/op, and their spread, (max − min) / p50.
 * Next-fire cases cycle through 4096 reference instants in shuffled order, spread over years, so
 * neither the zone's last-segment cache nor the CPU's branch predictor makes them trivial.
 * Every result is added to `sink`, printed as a checksum at the end, so no work can be optimised away.
 */
import { parseTiming, type Trigger } from "../src/index.ts";

// ── options ─────────────────────────────────────────────────────────────────────────────────────

const USAGE = "usage: node --import tsx bench/timing.bench.ts [--json] [--quick]";
const args = process.argv.slice(2);
for (const arg of args) {
  if (arg !== "--json" && arg !== "--quick") {
    console.error(`timing.bench: unknown option ${arg}\n${USAGE}`);
    process.exit(2);
  }
}
const JSON_OUTPUT = args.includes("--json");
const QUICK = args.includes("--quick");
const REPS = QUICK ? 3 : 5;
const BUDGET_MS = QUICK ? 100 : 300;
const WARMUP_MS = QUICK ? 50 : 150;
/** A batch between two clock reads lasts at least this long. */
const BATCH_MS = 2;
/** The target: next-fire computations per second, for every kind. */
const TARGET_PER_SECOND = 100_000;

const ZONE = "Europe/Berlin";
const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
const MS_PER_YEAR = 365.2425 * MS_PER_DAY;

/** Every result is folded into this, and it is printed at the end: no call can be dropped as dead. */
let sink = 0;

// ── reference instants ──────────────────────────────────────────────────────────────────────────

/** A small deterministic PRNG (mulberry32): the same instants on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Number of reference instants per case; a power of two, so the cycling index is a mask. */
const REF_COUNT = 4096;
const REF_MASK = REF_COUNT - 1;

/** REF_COUNT instants drawn uniformly (to the millisecond) from [from, to), in random order. */
function instantsBetween(from: number, to: number, seed: number): number[] {
  const random = prng(seed);
  return Array.from({ length: REF_COUNT }, () => Math.floor(from + random() * (to - from)));
}

const SPAN_FROM = Date.parse("2024-01-01T00:00:00Z");
const SPAN_TO = Date.parse("2030-01-01T00:00:00Z");
/** The default reference instants: six years, 2024–2029, which include 12 DST transitions in Berlin. */
const SPREAD = instantsBetween(SPAN_FROM, SPAN_TO, 0x5eed);
const SPREAD_NOTE = "4096 instants 2024–2029";

// ── measurement ─────────────────────────────────────────────────────────────────────────────────

interface Stats {
  /** p50 over the repetitions. */
  readonly opsPerSecond: number;
  /** p50 over the repetitions. */
  readonly nsPerOp: number;
  /** (max − min) / p50 of ops/s over the repetitions. */
  readonly spread: number;
  /** ops/s of each repetition, in run order. */
  readonly repetitions: readonly number[];
  readonly operations: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

/** Runs `batch` (which performs n operations) for `budgetMs`; returns operations and elapsed ms. */
function runFor(batch: (n: number) => number, n: number, budgetMs: number): { operations: number; elapsed: number } {
  let operations = 0;
  const start = performance.now();
  let elapsed: number;
  do {
    sink += batch(n);
    operations += n;
    elapsed = performance.now() - start;
  } while (elapsed < budgetMs);
  return { operations, elapsed };
}

/** Warm up, size the batch to ~BATCH_MS, then REPS timed repetitions of BUDGET_MS each. */
function measure(batch: (n: number) => number, minimumWarmupOps: number): Stats {
  sink += batch(minimumWarmupOps);
  let n = 1;
  for (;;) {
    const start = performance.now();
    sink += batch(n);
    if (performance.now() - start >= BATCH_MS || n >= 1 << 24) break;
    n *= 2;
  }
  runFor(batch, n, WARMUP_MS);
  const repetitions: number[] = [];
  let operations = 0;
  for (let rep = 0; rep < REPS; rep++) {
    const run = runFor(batch, n, BUDGET_MS);
    repetitions.push((run.operations / run.elapsed) * 1000);
    operations += run.operations;
  }
  const opsPerSecond = median(repetitions);
  return {
    opsPerSecond,
    nsPerOp: 1e9 / opsPerSecond,
    spread: (Math.max(...repetitions) - Math.min(...repetitions)) / opsPerSecond,
    repetitions,
    operations,
  };
}

// ── cases ───────────────────────────────────────────────────────────────────────────────────────

type Section = "parse" | "next-fire" | "distance";

interface Case {
  readonly section: Section;
  readonly kind: string;
  readonly expression: string;
  readonly zone: string;
  /** What the reference instants are (next-fire), or what the row shows. */
  readonly note: string;
  /** Performs n operations; returns a checksum of their results. */
  readonly batch: (n: number) => number;
  /** Operations in the first warm-up batch (one pass over all reference instants). */
  readonly warmupOps: number;
  /** Next-fire: p50 of how far ahead of the reference instant the fire lies, in ms. */
  readonly ahead: number | null;
}

function parseCase(kind: string, expression: string, zone = ZONE, note = ""): Case {
  const parsed = parseTiming(expression, zone);
  if (parsed.kind !== kind) throw new Error(`"${expression}" parses as ${parsed.kind}, not ${kind}`);
  return {
    section: "parse",
    kind,
    expression,
    zone,
    note,
    batch: (n) => {
      let checksum = 0;
      for (let i = 0; i < n; i++) checksum += parseTiming(expression, zone).description.length;
      return checksum;
    },
    warmupOps: 1000,
    ahead: null,
  };
}

interface NextFireOptions {
  readonly section?: Section;
  readonly zone?: string;
  readonly refs?: readonly number[];
  readonly note?: string;
  /** A fixed schedule start (CYCLIC); otherwise each reference instant is its own anchor. */
  readonly anchor?: number;
}

function nextFireCase(kind: string, expression: string, options: NextFireOptions = {}): Case {
  const zone = options.zone ?? ZONE;
  const refs = options.refs ?? SPREAD;
  if (refs.length !== REF_COUNT) throw new Error("reference instants must number REF_COUNT");
  const trigger: Trigger = parseTiming(expression, zone);
  if (trigger.kind !== kind) throw new Error(`"${expression}" parses as ${trigger.kind}, not ${kind}`);
  const anchors = refs.map((ref) => options.anchor ?? ref);
  // One untimed pass: learns the zone's buckets and checks that every reference instant has a fire ahead.
  const aheads = refs.map((after, i) => {
    const fire = trigger.nextFire(after, anchors[i] ?? after);
    if (fire === null || fire <= after) {
      throw new Error(`"${expression}" has no fire after ${new Date(after).toISOString()}: the case is broken`);
    }
    return fire - after;
  });
  let cursor = 0;
  return {
    section: options.section ?? "next-fire",
    kind,
    expression,
    zone,
    note: options.note ?? SPREAD_NOTE,
    batch: (n) => {
      let checksum = 0;
      let index = cursor;
      for (let i = 0; i < n; i++, index++) {
        const after = refs[index & REF_MASK] ?? 0;
        checksum += trigger.nextFire(after, anchors[index & REF_MASK] ?? after) ?? 0;
      }
      cursor = index & REF_MASK;
      return checksum;
    },
    warmupOps: REF_COUNT,
    ahead: median(aheads),
  };
}

/** Reference instants `distance` (−25 % … 0) before fires of `expression` drawn from its next 16 fires. */
function instantsBefore(expression: string, zone: string, distance: number, seed: number): number[] {
  const trigger = parseTiming(expression, zone);
  const fires: number[] = [];
  let after = SPAN_FROM;
  for (let i = 0; i < 16; i++) {
    const fire = trigger.nextFire(after, after);
    if (fire === null) break;
    fires.push(fire);
    after = fire;
  }
  const random = prng(seed);
  return Array.from({ length: REF_COUNT }, () => {
    const fire = fires[Math.floor(random() * fires.length)] ?? SPAN_FROM;
    return Math.floor(fire - distance * (1 - random() / 4));
  });
}

/** Reference instants from `years` − 1 month to `years` + 1 month before `target`. */
function instantsYearsBefore(target: string, years: number, seed: number): number[] {
  const fire = Date.parse(target);
  const center = fire - years * MS_PER_YEAR;
  return instantsBetween(center - 30 * MS_PER_DAY, center + 30 * MS_PER_DAY, seed);
}

const LEAP_DAY_CRON = "0 0 29 2 *";

function buildCases(): Case[] {
  return [
    // Parses: expression → Trigger, including the (cached) zone lookup and compiling the rule.
    parseCase("CYCLIC", "every 31 minutes and 12 seconds"),
    parseCase("MINUTELY", "every minute at 15 seconds"),
    parseCase("HOURLY", "every hour at 05:00"),
    parseCase("DAILY", "every day at 9:00 and 17:30"),
    parseCase("DAILY", "every day at 9:00 and 17:30", "Asia/Kathmandu", "+05:45 zone"),
    parseCase("WEEKLY", "every Monday and Thursday at 18:30"),
    parseCase("MONTHLY", "every month on the last day at 23:00"),
    parseCase("CRON", "0 3 * * MON"),
    parseCase("CRON", "*/15 9-17 * * 1-5"),
    parseCase("CRON", "0 30 4 1 1 *"),
    parseCase("ONCE", "2026-12-01 09:00"),
    parseCase("ONCE", "next Tuesday at 13:11"),

    // Next fires, reference instants spread over six years.
    nextFireCase("CYCLIC", "every 31 minutes and 12 seconds", {
      anchor: Date.parse("2023-06-15T08:17:03Z"),
      note: `${SPREAD_NOTE}, fixed start`,
    }),
    nextFireCase("MINUTELY", "every minute at 15 seconds"),
    nextFireCase("HOURLY", "every hour at 05:00"),
    nextFireCase("HOURLY", "every hour at 05:00", { zone: "Australia/Lord_Howe", note: `${SPREAD_NOTE}, 30-min DST` }),
    nextFireCase("DAILY", "every day at 9:00 and 17:30"),
    nextFireCase("WEEKLY", "every Monday and Thursday at 18:30"),
    nextFireCase("MONTHLY", "every month on the last day at 23:00"),
    nextFireCase("CRON", "0 3 * * MON"),
    nextFireCase("CRON", "*/15 9-17 * * 1-5"),
    nextFireCase("CRON", LEAP_DAY_CRON),
    nextFireCase("CRON", "0 30 4 1 1 *"),
    nextFireCase("ONCE", "2026-12-01 09:00", {
      refs: instantsYearsBefore("2026-12-01T08:00:00Z", 2, 0xd1),
      note: "4096 instants ~2 years before it",
    }),
    nextFireCase("ONCE", "next Tuesday at 13:11"),

    // Cost by distance ahead: the same CRON, reference instants ~1 minute, ~60 days, ~2 years before a fire.
    nextFireCase("CRON", LEAP_DAY_CRON, {
      section: "distance",
      refs: instantsBefore(LEAP_DAY_CRON, ZONE, MS_PER_MINUTE, 0xa1),
      note: "0.75–1 minute before a fire",
    }),
    nextFireCase("CRON", LEAP_DAY_CRON, {
      section: "distance",
      refs: instantsBefore(LEAP_DAY_CRON, ZONE, 60 * MS_PER_DAY, 0xa2),
      note: "45–60 days before a fire",
    }),
    nextFireCase("CRON", LEAP_DAY_CRON, {
      section: "distance",
      refs: instantsBefore(LEAP_DAY_CRON, ZONE, 2 * MS_PER_YEAR, 0xa3),
      note: "1.5–2 years before a fire",
    }),
  ];
}

// ── first use of a zone ────────────────────────────────────────────────────────────────────────

/** Zones used nowhere else in this benchmark, so each is fresh when its turn comes. */
const FRESH_ZONES = [
  "America/New_York",
  "America/Los_Angeles",
  "America/Sao_Paulo",
  "America/St_Johns",
  "Asia/Tokyo",
  "Asia/Tehran",
  "Australia/Sydney",
  "Africa/Cairo",
  "Pacific/Chatham",
];
const FIRST_USE_EXPRESSION = "every day at 9:00 and 17:30";
const FIRST_USE_AT = Date.parse("2025-06-15T10:20:30Z");

interface ZoneFirstUse {
  readonly zone: string;
  /** µs: parseTiming in the fresh zone (builds its Intl.DateTimeFormat). */
  readonly parse: number;
  /** µs: the first nextFire there (learns the 200-day stretches it touches from Intl). */
  readonly firstNextFire: number;
  /** µs: a second nextFire nearby, answered from memory. */
  readonly secondNextFire: number;
  /** µs: a nextFire ten years away in the now-known zone (learns a new stretch). */
  readonly newStretch: number;
}

/** Runs `work` once; its result and how long it took, in µs. */
function timed<T>(work: () => T): { value: T; us: number } {
  const start = process.hrtime.bigint();
  const value = work();
  return { value, us: Number(process.hrtime.bigint() - start) / 1000 };
}

function zoneFirstUse(zone: string): ZoneFirstUse {
  const parse = timed(() => parseTiming(FIRST_USE_EXPRESSION, zone));
  const trigger = parse.value;
  const fireAt = (after: number) => timed(() => trigger.nextFire(after, after) ?? 0);
  const first = fireAt(FIRST_USE_AT);
  const second = fireAt(FIRST_USE_AT + 7 * MS_PER_HOUR);
  const later = fireAt(FIRST_USE_AT + 10 * MS_PER_YEAR);
  sink += trigger.description.length + first.value + second.value + later.value;
  return { zone, parse: parse.us, firstNextFire: first.us, secondNextFire: second.us, newStretch: later.us };
}

// ── output ──────────────────────────────────────────────────────────────────────────────────────

interface Result {
  readonly section: Section;
  readonly kind: string;
  readonly expression: string;
  readonly zone: string;
  readonly note: string;
  readonly aheadMs: number | null;
  readonly stats: Stats;
}

interface Column {
  readonly header: string;
  readonly width: number;
  readonly right?: boolean;
}

function row(columns: readonly Column[], cells: readonly string[]): string {
  return columns
    .map((column, i) => {
      const cell = cells[i] ?? "";
      return column.right === true ? cell.padStart(column.width) : cell.padEnd(column.width);
    })
    .join("  ")
    .trimEnd();
}

function header(columns: readonly Column[]): string {
  const names = row(
    columns,
    columns.map((column) => column.header),
  );
  const rule = columns.map((column) => "─".repeat(column.width)).join("  ");
  return `${names}\n${rule}`;
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

function formatOps(ops: number): string {
  return integer.format(ops);
}

function formatNs(ns: number): string {
  return ns < 100 ? ns.toFixed(1) : integer.format(ns);
}

function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function formatMicros(us: number): string {
  return us < 100 ? us.toFixed(1) : integer.format(us);
}

function formatDistance(ms: number): string {
  if (ms < 2 * MS_PER_MINUTE) return `${(ms / 1000).toFixed(0)} s`;
  if (ms < 2 * MS_PER_HOUR) return `${(ms / MS_PER_MINUTE).toFixed(0)} min`;
  if (ms < 2 * MS_PER_DAY) return `${(ms / MS_PER_HOUR).toFixed(1)} h`;
  if (ms < 365 * MS_PER_DAY) return `${(ms / MS_PER_DAY).toFixed(1)} d`;
  return `${(ms / MS_PER_YEAR).toFixed(2)} y`;
}

function columnsFor(section: Section, cases: readonly Case[]): Column[] {
  const widest = (header: string, cell: (c: Case) => string): number =>
    Math.max(header.length, ...cases.map((c) => cell(c).length));
  const columns: Column[] = [
    { header: "kind", width: 8 },
    { header: "expression", width: widest("expression", (c) => c.expression) },
    { header: "zone", width: widest("zone", (c) => c.zone) },
  ];
  if (section !== "parse") {
    columns.push({ header: "reference instants", width: widest("reference instants", (c) => c.note) });
    columns.push({ header: "ahead p50", width: 9, right: true });
  } else {
    columns.push({ header: "note", width: widest("note", (c) => c.note) });
  }
  columns.push({ header: "ops/s", width: 11, right: true });
  columns.push({ header: "ns/op", width: 8, right: true });
  columns.push({ header: "spread", width: 6, right: true });
  return columns;
}

function cellsOf(result: Result): string[] {
  const cells = [result.kind, result.expression, result.zone, result.note];
  if (result.section !== "parse") cells.push(result.aheadMs === null ? "" : formatDistance(result.aheadMs));
  cells.push(formatOps(result.stats.opsPerSecond), formatNs(result.stats.nsPerOp), formatPercent(result.stats.spread));
  return cells;
}

const TITLES: Record<Section, string> = {
  parse: "Parses per second (parseTiming: expression + zone → Trigger)",
  "next-fire": "Next-fire computations per second (trigger.nextFire(after, anchor))",
  distance: `Next-fire cost by distance ahead (CRON "${LEAP_DAY_CRON}", leap days 2024–2084)`,
};

function print(line = ""): void {
  if (!JSON_OUTPUT) process.stdout.write(`${line}\n`);
}

// ── main ────────────────────────────────────────────────────────────────────────────────────────

function main(): void {
  const started = performance.now();
  print(
    `Orchestra timing benchmark — node ${process.version}, ${REPS} × ${BUDGET_MS} ms per case after ≥ ${WARMUP_MS} ms warm-up; p50 over repetitions`,
  );
  const cases = buildCases();
  // One pass of every case before any is timed: the call sites that all cases share (parseTiming,
  // trigger.nextFire over three trigger classes) see every shape first, so no row is measured on a
  // call site that is still monomorphic and the row order does not matter.
  for (const c of cases) sink += c.batch(c.warmupOps);
  const results: Result[] = [];
  const sections: Section[] = ["parse", "next-fire", "distance"];
  for (const section of sections) {
    const inSection = cases.filter((c) => c.section === section);
    const columns = columnsFor(section, inSection);
    print();
    print(TITLES[section]);
    print(header(columns));
    for (const c of inSection) {
      const result: Result = {
        section,
        kind: c.kind,
        expression: c.expression,
        zone: c.zone,
        note: c.note,
        aheadMs: c.ahead,
        stats: measure(c.batch, c.warmupOps),
      };
      results.push(result);
      print(row(columns, cellsOf(result)));
    }
  }

  // First use of a zone.
  const firstUses = FRESH_ZONES.map(zoneFirstUse);
  const warmDaily = results.find((r) => r.section === "next-fire" && r.expression === FIRST_USE_EXPRESSION);
  const summary = {
    parse: median(firstUses.map((u) => u.parse)),
    firstNextFire: median(firstUses.map((u) => u.firstNextFire)),
    secondNextFire: median(firstUses.map((u) => u.secondNextFire)),
    newStretch: median(firstUses.map((u) => u.newStretch)),
  };
  print();
  print(
    `First use of a zone: "${FIRST_USE_EXPRESSION}" in ${FRESH_ZONES.length} zones not used before in this process (µs, one shot each)`,
  );
  const zoneColumns: Column[] = [
    { header: "zone", width: Math.max(...FRESH_ZONES.map((z) => z.length), 4) },
    { header: "parse (new Intl)", width: 16, right: true },
    { header: "1st nextFire", width: 12, right: true },
    { header: "2nd nextFire", width: 12, right: true },
    { header: "+10 y (new stretch)", width: 19, right: true },
  ];
  print(header(zoneColumns));
  for (const use of firstUses) {
    print(
      row(zoneColumns, [
        use.zone,
        formatMicros(use.parse),
        formatMicros(use.firstNextFire),
        formatMicros(use.secondNextFire),
        formatMicros(use.newStretch),
      ]),
    );
  }
  print(
    row(zoneColumns, [
      "p50",
      formatMicros(summary.parse),
      formatMicros(summary.firstNextFire),
      formatMicros(summary.secondNextFire),
      formatMicros(summary.newStretch),
    ]),
  );
  if (warmDaily !== undefined) {
    print(
      `(warm: the same expression's nextFire in a known zone costs ${formatNs(warmDaily.stats.nsPerOp)} ns, its parse ` +
        `${formatNs(results.find((r) => r.section === "parse" && r.expression === FIRST_USE_EXPRESSION)?.stats.nsPerOp ?? NaN)} ns)`,
    );
  }

  // The target: at least 100k next-fire computations per second for every kind (its slowest row).
  const kinds = ["CYCLIC", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "CRON", "ONCE"];
  const targets = kinds.map((kind) => {
    const rows = results.filter((r) => r.section !== "parse" && r.kind === kind);
    const slowest = rows.reduce<Result | undefined>(
      (worst, r) => (worst === undefined || r.stats.opsPerSecond < worst.stats.opsPerSecond ? r : worst),
      undefined,
    );
    const ops = slowest?.stats.opsPerSecond ?? 0;
    return {
      kind,
      slowestExpression: slowest?.expression ?? "",
      slowestZone: slowest?.zone ?? "",
      slowestNote: slowest?.note ?? "",
      opsPerSecond: ops,
      ratio: ops / TARGET_PER_SECOND,
      pass: ops >= TARGET_PER_SECOND,
    };
  });
  print();
  print(
    `Target: at least ${integer.format(TARGET_PER_SECOND)} next-fire computations per second for every kind (slowest row of each kind)`,
  );
  const targetColumns: Column[] = [
    { header: "kind", width: 8 },
    { header: "slowest row", width: Math.max(...targets.map((t) => t.slowestExpression.length + t.slowestZone.length + 3)) },
    { header: "ops/s", width: 11, right: true },
    { header: "× target", width: 8, right: true },
    { header: "result", width: 6 },
  ];
  print(header(targetColumns));
  for (const t of targets) {
    print(
      row(targetColumns, [
        t.kind,
        `${t.slowestExpression} (${t.slowestZone})`,
        formatOps(t.opsPerSecond),
        `${t.ratio.toFixed(2)}×`,
        t.pass ? "PASS" : "MISS",
      ]),
    );
  }
  const passed = targets.filter((t) => t.pass).length;
  const seconds = (performance.now() - started) / 1000;
  print();
  print(`${passed}/${targets.length} kinds meet the target; ${seconds.toFixed(1)} s; checksum ${sink}`);

  if (JSON_OUTPUT) {
    const json = {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      method: { repetitions: REPS, budgetMs: BUDGET_MS, warmupMs: WARMUP_MS, referenceInstants: REF_COUNT },
      results: results.map((r) => ({
        section: r.section,
        kind: r.kind,
        expression: r.expression,
        zone: r.zone,
        note: r.note,
        aheadMs: r.aheadMs,
        opsPerSecond: Math.round(r.stats.opsPerSecond),
        nsPerOp: Number(r.stats.nsPerOp.toFixed(2)),
        spread: Number(r.stats.spread.toFixed(4)),
        repetitions: r.stats.repetitions.map(Math.round),
        operations: r.stats.operations,
      })),
      zoneFirstUse: {
        expression: FIRST_USE_EXPRESSION,
        unit: "µs",
        zones: firstUses,
        p50: summary,
      },
      target: {
        perSecond: TARGET_PER_SECOND,
        kinds: targets.map((t) => ({ ...t, opsPerSecond: Math.round(t.opsPerSecond), ratio: Number(t.ratio.toFixed(3)) })),
      },
      seconds: Number(seconds.toFixed(1)),
      checksum: sink,
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  }
}

main();
