import { distance } from "fastest-levenshtein";

/**
 * The candidate closest to `word` (case-insensitive), when it is close enough to be a likely typo:
 * one edit for short words, two for longer ones, a third of the length for long names.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const needle = word.toLowerCase();
  const allowed = Math.max(1, Math.min(3, Math.floor(needle.length / 3)));
  let best: string | undefined;
  let bestDistance = allowed + 1;
  for (const candidate of candidates) {
    const d = distance(needle, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
