import type { LocalTime } from "../time.ts";

/**
 * A recurring pattern on the wall clock, blind to timezones: which local readings match.
 * The searches in `search.ts` turn it into instants in a zone.
 */
export interface LocalRule {
  /** The first matching wall-clock reading strictly after `after`, or null when there is none. */
  nextLocal(after: LocalTime): LocalTime | null;
}
