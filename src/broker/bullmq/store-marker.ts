import type { RedisClient } from "bullmq";

/**
 * Which store the schedulers on a Redis prefix record into, kept in Redis beside BullMQ's keys: a
 * worker reads it at start and refuses to record into another store. Workers take every job under the
 * prefix, and a run recorded outside the scheduler's store is one the scheduler never sees.
 */
export interface StoreMarker {
  /** The store's identity (see storeIdentityOf). */
  readonly id: string;
  /** Its location without a password, for messages. */
  readonly location: string;
}

/**
 * The marker's key. Queue names reach BullMQ percent-encoded, and '@' is always encoded, so no
 * queue's keys (`<prefix>:<queue>:…`) can be this one.
 */
export function storeMarkerKey(prefix: string): string {
  return `${prefix}:@orchestra:store`;
}

/**
 * How long a marker outlives its last renewal. Schedulers renew it with each recovery round (every 5 s
 * by default), so it exists while one runs: a store replaced or moved does not keep refusing workers
 * in the name of a scheduler that is gone.
 */
export const MARKER_TTL_MS = 20_000;

/**
 * Writes (and so renews) this scheduler's marker; returns the one it found, if any. A read then a
 * write: two schedulers of different stores racing here only change which of them reports the other.
 */
export async function announceStore(client: RedisClient, prefix: string, marker: StoreMarker, ttlMs = MARKER_TTL_MS): Promise<StoreMarker | null> {
  const key = storeMarkerKey(prefix);
  const found = markerFrom(await client.get(key));
  await client.set(key, JSON.stringify(marker), { PX: ttlMs });
  return found;
}

/** The marker a running scheduler keeps, if any (none runs, or Redis lost it and none has written it again yet). */
export async function announcedStore(client: RedisClient, prefix: string): Promise<StoreMarker | null> {
  return markerFrom(await client.get(storeMarkerKey(prefix)));
}

function markerFrom(text: string | null): StoreMarker | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<StoreMarker> | null;
    return typeof value?.id === "string" && typeof value.location === "string" ? { id: value.id, location: value.location } : null;
  } catch {
    return null; // not ours to judge: no marker
  }
}
