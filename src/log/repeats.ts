import type { Instant } from "../timing/time.ts";

/** A repeating line is logged at most once per this long. */
export const REPEAT_WINDOW_MS = 10_000;

/** Lines remembered at most; past it, those whose window is over are forgotten. */
const REMEMBERED = 100;

/**
 * Collapses a failure that repeats: the store or Redis away reports the same error from every loop
 * that tries it (dispatch, sync, the publisher), several a second for as long as the outage lasts.
 * The first line is logged; the same text again within REPEAT_WINDOW_MS is left out and counted, and
 * the next one logged after the window says how many were left out.
 */
export class RepeatedLines {
  readonly #seen = new Map<string, { at: Instant; leftOut: number }>();

  /** null: leave the line out. Otherwise log it, saying how many like it were left out since it was last logged. */
  admit(text: string, now: Instant): { leftOut: number; sinceMs: number } | null {
    const seen = this.#seen.get(text);
    if (seen !== undefined && now - seen.at < REPEAT_WINDOW_MS) {
      seen.leftOut++;
      return null;
    }
    if (seen === undefined && this.#seen.size >= REMEMBERED) this.#forgetBefore(now - REPEAT_WINDOW_MS);
    this.#seen.set(text, { at: now, leftOut: 0 });
    return { leftOut: seen?.leftOut ?? 0, sinceMs: seen === undefined ? 0 : now - seen.at };
  }

  /**
   * The lines left out since each was last logged, with how long ago that was; forgets them all. For
   * when what failed is back: the count is told then, not at some later failure.
   */
  drain(now: Instant): { text: string; leftOut: number; sinceMs: number }[] {
    const pending = [...this.#seen].filter(([, seen]) => seen.leftOut > 0).map(([text, seen]) => ({ text, leftOut: seen.leftOut, sinceMs: now - seen.at }));
    this.#seen.clear();
    return pending;
  }

  #forgetBefore(instant: Instant): void {
    for (const [text, seen] of this.#seen) if (seen.at < instant) this.#seen.delete(text);
  }
}
