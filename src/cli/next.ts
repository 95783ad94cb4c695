import { Option, type Command } from "commander";
import { formatInstant } from "../timing/format.ts";
import { parseTiming, parseTimingSpec } from "../timing/parse.ts";
import { LAST_INSTANT, type Instant } from "../timing/time.ts";
import type { Trigger } from "../timing/trigger.ts";
import { zoneFor } from "../timing/zone.ts";
import { formatDueIn } from "../timing/due-in.ts";
import { UsageError, type CliIo } from "./io.ts";

interface NextOptions {
  readonly tz: string;
  readonly from?: string;
  readonly count: string;
  readonly json?: boolean;
  /** The hidden slips of ZONE_OPTION_SLIPS: refused with a hint at --tz. */
  readonly timezone?: unknown;
  readonly timeZone?: unknown;
  readonly zone?: unknown;
}

/**
 * Other names people give the zone option. Commander's did-you-mean finds none of them close to
 * `--tz`, so each is a hidden option that is refused with the hint.
 */
const ZONE_OPTION_SLIPS = [
  ["--timezone", "timezone"],
  ["--time-zone", "timeZone"],
  ["--zone", "zone"],
] as const;

/** What `orchestra next --json` prints: a contract other tools rely on. */
export interface NextReport {
  readonly kind: Trigger["kind"];
  readonly expression: string;
  readonly description: string;
  readonly timezone: string;
  readonly from: string;
  /** ISO 8601 instants in the job's zone, each with its UTC offset. */
  readonly next: string[];
}

export function registerNext(program: Command, io: CliIo, now: () => Instant): void {
  const command = program
    .command("next")
    .description("show when a timing expression fires next")
    .argument("<expression>", 'a timing phrase ("every Monday at 3:15") or a cron pattern ("0 3 * * MON")')
    .option("--tz <zone>", "IANA timezone of the job", "UTC")
    .option("--from <instant>", "reference instant, ISO 8601 (without an offset: wall clock in --tz); default now")
    .option("-n, --count <count>", "how many fires to show", "5")
    .option("--json", "print one JSON object: kind and next (ISO 8601 instants with offsets)");
  for (const [flag] of ZONE_OPTION_SLIPS) command.addOption(new Option(`${flag} [zone]`).hideHelp());
  command.action((expression: string, options: NextOptions) => {
    const slip = ZONE_OPTION_SLIPS.find(([, key]) => options[key] !== undefined);
    if (slip !== undefined) command.error(`error: unknown option '${slip[0]}'\n(Did you mean --tz?)`, { code: "commander.unknownOption" });
    const report = nextFires(expression, options, now);
    io.stdout(options.json === true ? `${JSON.stringify(report)}\n` : renderHuman(report));
  });
}

export function nextFires(expression: string, options: NextOptions, now: () => Instant): NextReport {
  const count = parseCount(options.count);
  const trigger = parseTiming(expression, options.tz);
  const from = options.from === undefined ? now() : parseFrom(options.from, options.tz);
  const fires: Instant[] = [];
  for (let after = from; fires.length < count; ) {
    const fire = trigger.nextFire(after, from);
    if (fire === null || fire > LAST_INSTANT) break; // beyond it, a Date is invalid
    fires.push(fire);
    after = fire;
  }
  return {
    kind: trigger.kind,
    expression: trigger.expression,
    description: trigger.description,
    timezone: trigger.timezone,
    from: formatInstant(from, trigger.zone),
    next: fires.map((fire) => formatInstant(fire, trigger.zone)),
  };
}

function renderHuman(report: NextReport): string {
  const from = Date.parse(report.from);
  const lines = [`${report.kind}  ${report.description} (${report.timezone})`];
  for (const fire of report.next) {
    const date = new Date(fire.slice(0, 19) + "Z");
    const weekday = date.toLocaleDateString("en-US", { weekday: "short", timeZone: "UTC" });
    lines.push(`  ${weekday} ${fire.slice(0, 10)} ${fire.slice(11)}  in ${formatDueIn(Date.parse(fire) - from)}`);
  }
  if (report.next.length === 0) lines.push("  (does not fire after the reference instant)");
  return `${lines.join("\n")}\n`;
}

function parseCount(text: string): number {
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1 || count > 100_000) {
    throw new UsageError(`--count must be a whole number from 1 to 100000, not "${text}"`);
  }
  return count;
}

/** `2024-03-03T07:36:47Z`, `…+01:00`, or a wall-clock reading in the zone (`2024-03-03 08:36:47`). */
function parseFrom(text: string, timezone: string): Instant {
  let spec;
  try {
    spec = parseTimingSpec(text);
  } catch {
    throw new UsageError(`--from must be an ISO 8601 date-time such as 2024-03-03T07:36:47Z, not "${text}"`);
  }
  if (spec.kind === "ONCE" && spec.at === "instant") return spec.instant;
  if (spec.kind === "ONCE" && spec.at === "local") return zoneFor(timezone).resolve(spec.local).instant;
  throw new UsageError(`--from must be an ISO 8601 date-time such as 2024-03-03T07:36:47Z, not "${text}"`);
}
