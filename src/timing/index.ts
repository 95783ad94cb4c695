export { parseTiming, parseTimingSpec } from "./parse.ts";
export { ScheduleKind, type Trigger } from "./trigger.ts";
export type { OnceSpec, TimingSpec } from "./spec.ts";
export { zoneFor, isTimezone, knownZoneNames, type Zone } from "./zone.ts";
export { formatInstant, formatOffset } from "./format.ts";
export { describe, formatDuration } from "./describe.ts";
export type { Instant } from "./time.ts";
