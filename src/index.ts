/**
 * Orchestra's public API. Everything a user may import is listed here; anything else is internal.
 */
export {
  parseTiming,
  parseTimingSpec,
  ScheduleKind,
  zoneFor,
  isTimezone,
  knownZoneNames,
  formatInstant,
  describe as describeTiming,
  type Trigger,
  type TimingSpec,
  type OnceSpec,
  type Zone,
  type Instant,
} from "./timing/index.ts";
export { OrchestraError } from "./errors/orchestra-error.ts";
export { TimingError } from "./errors/timing-error.ts";
export { TimezoneError } from "./errors/timezone-error.ts";
export { ErrorCode } from "./errors/error-code.ts";
