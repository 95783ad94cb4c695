/**
 * A map that keeps at most `capacity` entries, dropping the least recently used. A Map iterates in
 * insertion order, so moving an entry to the end on each use makes the first one the oldest.
 */
export class LruMap<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly capacity: number) {}

  /** The value for `key`, made the most recently used; or `create()`'s, kept (dropping the oldest if full). */
  getOrCreate(key: K, create: () => V): V {
    let value = this.#entries.get(key);
    if (value === undefined) {
      value = create();
      if (this.#entries.size >= this.capacity) {
        const oldest = this.#entries.keys().next();
        if (oldest.done !== true) this.#entries.delete(oldest.value);
      }
    } else {
      this.#entries.delete(key);
    }
    this.#entries.set(key, value);
    return value;
  }

  clear(): void {
    this.#entries.clear();
  }
}
