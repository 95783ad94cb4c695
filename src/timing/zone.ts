import { TimezoneError } from "../errors/timezone-error.ts";
import { suggest } from "./suggest.ts";
import type { Instant, LocalTime } from "./time.ts";
import { MS_PER_DAY } from "./time.ts";

/** A stretch of time during which a zone keeps one UTC offset: [start, end). */
export interface OffsetSegment {
  readonly start: Instant;
  readonly end: Instant;
  /** Local time minus UTC, in milliseconds. */
  readonly offset: number;
}

/** A change of offset: at instant `at` the offset goes from `before` to `after`. */
export interface Transition {
  readonly at: Instant;
  readonly before: number;
  readonly after: number;
}

/** How a wall-clock time maps to an instant under RFC 5545 / Temporal `compatible` rules. */
export interface Resolution {
  readonly instant: Instant;
  /** How far a nonexistent wall-clock time (a spring-forward gap) was pushed forward; 0 otherwise. */
  readonly shiftedBy: number;
}

/**
 * Offsets come from the IANA data that Node.js ships with ICU (through Intl). Asking Intl costs about
 * a microsecond per call, so each zone learns its offset segments once per bucket of time and
 * answers every later question from memory: a next-fire computation then costs well under a microsecond
 * in offset lookups, whatever the zone.
 */
const BUCKET = 200 * MS_PER_DAY;
/** Sampling step when learning a bucket. Two transitions closer than this that return to the same
 * offset would go unseen; no zone has had such a pair since 1900. */
const SAMPLE_STEP = 6 * 3600_000;

export class Zone {
  /** The zone's name as the IANA database spells it (`Europe/Berlin`, also when given `europe/berlin`). */
  readonly name: string;
  readonly #format: Intl.DateTimeFormat;
  readonly #buckets = new Map<number, readonly OffsetSegment[]>();
  #last: OffsetSegment = { start: 0, end: 0, offset: 0 };

  constructor(name: string, format: Intl.DateTimeFormat) {
    this.name = name;
    this.#format = format;
  }

  /** Local time minus UTC at `instant`, in milliseconds. */
  offsetAt(instant: Instant): number {
    const last = this.#last;
    if (instant >= last.start && instant < last.end) return last.offset;
    return this.segmentAt(instant).offset;
  }

  /** The segment of constant offset that holds `instant`. */
  segmentAt(instant: Instant): OffsetSegment {
    const index = Math.floor(instant / BUCKET);
    let segments = this.#buckets.get(index);
    if (segments === undefined) {
      segments = this.#learn(index * BUCKET, (index + 1) * BUCKET);
      this.#buckets.set(index, segments);
    }
    for (const segment of segments) {
      if (instant < segment.end) {
        this.#last = segment;
        return segment;
      }
    }
    throw new Error(`no offset segment holds ${instant} in ${this.name}`);
  }

  /** The last offset change at or before `instant`, when it lies less than `within` ms back. */
  recentTransition(instant: Instant, within: number): Transition | null {
    let segment = this.segmentAt(instant);
    let before = this.offsetAt(segment.start - 1);
    if (before === segment.offset) {
      // A bucket edge, not a change: the real change (if any) lies in the segment before.
      const previous = this.segmentAt(segment.start - 1);
      segment = { start: previous.start, end: segment.end, offset: segment.offset };
      before = this.offsetAt(segment.start - 1);
      if (before === segment.offset) return null;
    }
    if (instant - segment.start >= within) return null;
    return { at: segment.start, before, after: segment.offset };
  }

  /** The wall-clock time at `instant`. */
  localAt(instant: Instant): LocalTime {
    return instant + this.offsetAt(instant);
  }

  /**
   * The instant a wall-clock time denotes: an ambiguous time (fall-back) takes the earlier instant;
   * a nonexistent one (spring-forward) takes the offset from before the gap, i.e. moves forward by the
   * gap's length. Europe/Berlin 2024-03-31 02:30 → 03:30+02:00.
   */
  resolve(local: LocalTime): Resolution {
    const before = this.offsetAt(local - MS_PER_DAY);
    const after = this.offsetAt(local + MS_PER_DAY);
    if (before === after) {
      const instant = local - before;
      if (this.offsetAt(instant) === before) return { instant, shiftedBy: 0 };
      // Two transitions within two days (never seen in practice): trust the offset at the guess.
      return { instant: local - this.offsetAt(instant), shiftedBy: 0 };
    }
    const early = local - before;
    const earlyValid = this.offsetAt(early) === before;
    const late = local - after;
    const lateValid = this.offsetAt(late) === after;
    if (earlyValid && lateValid) return { instant: Math.min(early, late), shiftedBy: 0 };
    if (earlyValid) return { instant: early, shiftedBy: 0 };
    if (lateValid) return { instant: late, shiftedBy: 0 };
    return { instant: early, shiftedBy: after - before };
  }

  #learn(from: Instant, to: Instant): OffsetSegment[] {
    const segments: OffsetSegment[] = [];
    let start = from;
    let offset = this.#askIntl(from);
    let previous = from;
    while (previous < to - 1) {
      const probe = Math.min(previous + SAMPLE_STEP, to - 1);
      // Several transitions may hide between two samples: peel them off one at a time.
      while (this.#askIntl(probe) !== offset) {
        const change = this.#findChange(previous, probe, offset);
        segments.push({ start, end: change, offset });
        start = change;
        offset = this.#askIntl(change);
        previous = change;
      }
      previous = probe;
    }
    segments.push({ start, end: to, offset });
    return segments;
  }

  /** The first instant in (lo, hi] whose offset differs from `offset`, given that lo's is `offset` and hi's is not. */
  #findChange(lo: Instant, hi: Instant, offset: number): Instant {
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (this.#askIntl(mid) === offset) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  #askIntl(instant: Instant): number {
    return parseGmtOffset(this.#format.format(instant));
  }
}

/** `…GMT+05:45`, `…GMT-03:00`, `…GMT+00:53:28` (local mean time) or a bare `…GMT` → milliseconds. */
function parseGmtOffset(text: string): number {
  const match = /GMT(?:([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/.exec(text);
  if (match === null) throw new Error(`unexpected offset text from Intl: ${text}`);
  if (match[1] === undefined) return 0;
  const sign = match[1] === "-" ? -1 : 1;
  const seconds = Number(match[2]) * 3600 + Number(match[3] ?? 0) * 60 + Number(match[4] ?? 0);
  return sign * seconds * 1000;
}

const zones = new Map<string, Zone>();

/**
 * The zone of an IANA name, case-insensitive (`Europe/Berlin`, `europe/berlin`, `UTC`). An unknown name
 * raises a TimezoneError with the closest known name, never a silent fallback to UTC.
 */
export function zoneFor(name: string): Zone {
  const cached = zones.get(name);
  if (cached !== undefined) return cached;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", { timeZone: name, timeZoneName: "longOffset" });
  } catch {
    throw new TimezoneError(name, suggestZone(name));
  }
  const zone = new Zone(spellingOf(name, format.resolvedOptions().timeZone), format);
  zones.set(name, zone);
  return zone;
}

/** True when `name` is a timezone this runtime knows. */
export function isTimezone(name: string): boolean {
  try {
    zoneFor(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * The known zone closest to `name`: a typo of a whole name (`Europe/Pariss`), or a city alone (`Berlin`,
 * `paris`, `Berlinn`), which names the zone whose last part it is (`Europe/Berlin`).
 */
export function suggestZone(name: string): string | undefined {
  const whole = suggest(name, knownZoneNames());
  if (whole !== undefined || name.includes("/")) return whole;
  const city = name.trim().replace(/ +/g, "_").toLowerCase();
  const byLastPart = new Map<string, string>();
  for (const known of knownZoneNames()) {
    const last = known.slice(known.lastIndexOf("/") + 1);
    if (known.includes("/") && !byLastPart.has(last)) byLastPart.set(last, known);
  }
  const exact = [...byLastPart].find(([last]) => last.toLowerCase() === city);
  if (exact !== undefined) return exact[1];
  // Names ICU knows but does not list, as it lists their older spelling (`Kolkata`, ICU's `Asia/Calcutta`).
  const spelled = city.replace(/(^|_)([a-z])/g, (_, before: string, letter: string) => before + letter.toUpperCase());
  const region = REGIONS.find((area) => intlKnows(`${area}/${spelled}`));
  if (region !== undefined) return `${region}/${spelled}`;
  const close = suggest(city, byLastPart.keys());
  return close === undefined ? undefined : byLastPart.get(close);
}

function intlKnows(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const REGIONS = ["Europe", "America", "Asia", "Africa", "Australia", "Pacific", "Atlantic", "Indian", "Antarctica"];

let knownNames: readonly string[] | undefined;

/** Every IANA zone name this runtime knows, with UTC. */
export function knownZoneNames(): readonly string[] {
  knownNames ??= ["UTC", ...Intl.supportedValuesOf("timeZone")];
  return knownNames;
}

/**
 * Keep the name the user wrote, in the database's spelling: ICU would turn `Asia/Kolkata` into its
 * legacy id `Asia/Calcutta` and `US/Eastern` into `America/New_York`, which would surprise the user.
 * Only an all-lowercase alias that ICU does not list is replaced by ICU's id (`etc/utc` → `UTC`).
 */
function spellingOf(input: string, resolved: string): string {
  const lower = input.toLowerCase();
  if (resolved.toLowerCase() === lower) return resolved;
  const listed = knownZoneNames().find((known) => known.toLowerCase() === lower);
  if (listed !== undefined) return listed;
  return input === lower ? resolved : input;
}
