import { formatInstant, parseTiming } from "../../src/index.ts";

/** Epoch ms of an ISO 8601 instant; throws on a malformed one so a typo cannot pass silently. */
export function at(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad ISO instant in test: ${iso}`);
  return ms;
}

/** The first `count` fires of an expression from `from` (which is also the schedule's start), as ISO strings in its zone. */
export function fires(expression: string, timezone: string, from: string, count: number): string[] {
  const trigger = parseTiming(expression, timezone);
  const start = at(from);
  const result: string[] = [];
  for (let after = start; result.length < count; ) {
    const fire = trigger.nextFire(after, start);
    if (fire === null) break;
    result.push(formatInstant(fire, trigger.zone));
    after = fire;
  }
  return result;
}

/** The first fire, as an ISO string in the job's zone, or null. */
export function firstFire(expression: string, timezone: string, from: string): string | null {
  return fires(expression, timezone, from, 1)[0] ?? null;
}
