/**
 * `items` in consecutive slices of at most `size` (the last may be shorter; none when empty): a batch
 * written one statement per slice, to bound the statement's size.
 *
 * @example
 * for (const part of chunksOf(rows, 1000)) await db.insertInto("runs").values(part).execute();
 */
export function* chunksOf<T>(items: readonly T[], size: number): Generator<readonly T[]> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`a chunk size must be a whole number of at least 1, not ${String(size)}`);
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}
