import { Queue } from "bullmq";
import { afterEach, describe, expect, it } from "vitest";
import { connectionOf } from "../../src/broker/bullmq/connection.ts";
import { announceStore, MARKER_TTL_MS, storeMarkerKey } from "../../src/broker/bullmq/store-marker.ts";
import { openBroker, type Broker } from "../../src/broker/open.ts";
import { OrchestraError } from "../../src/errors/orchestra-error.ts";
import { storeIdentityOf } from "../../src/store/identity.ts";
import type { Store } from "../../src/store/store.ts";
import { dropPrefix, REDIS_SUITE_NOTE, redisAt, redisClient, redisUp, testPrefix } from "../support/redis.ts";
import { openTempStore } from "../support/store.ts";

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function tempStore(): Promise<Store> {
  const temp = await openTempStore();
  cleanups.push(temp.cleanup);
  return temp.store;
}

async function broker(prefix: string, store: Store, options: Parameters<typeof openBroker>[2] = {}): Promise<Broker> {
  const opened = await openBroker(redisAt(prefix), store, options);
  cleanups.push(() => opened.close());
  return opened;
}

function markerIn(prefix: string): Promise<string | null> {
  const client = redisClient();
  return client.get(storeMarkerKey(prefix)).finally(() => {
    client.disconnect();
  });
}

describe.skipIf(!redisUp)(`a worker checks that it records into its scheduler's store${REDIS_SUITE_NOTE}`, () => {
  it("a scheduler tells Redis which store it records into, and tells it again after Redis lost it", async () => {
    const prefix = testPrefix();
    cleanups.push(() => dropPrefix(prefix));
    const store = await tempStore();
    await broker(prefix, store);
    const expected = JSON.stringify({ id: await storeIdentityOf(store.db), location: store.location });
    await expect.poll(() => markerIn(prefix), { timeout: 5_000, interval: 20 }).toBe(expected);

    const client = redisClient();
    await client.del(storeMarkerKey(prefix));
    client.disconnect();
    // The next recovery round (every 5 s) writes it again.
    await expect.poll(() => markerIn(prefix), { timeout: 8_000, interval: 50 }).toBe(expected);
  }, 15_000);

  it("a worker on the scheduler's store starts; one on another store is refused, naming both stores", async () => {
    const prefix = testPrefix();
    cleanups.push(() => dropPrefix(prefix));
    const schedulers = await tempStore();
    await broker(prefix, schedulers);
    await expect.poll(() => markerIn(prefix), { timeout: 5_000, interval: 20 }).not.toBeNull();

    await expect((await broker(prefix, schedulers, { dispatch: false })).verifyStore()).resolves.toBeUndefined();

    const other = await tempStore();
    const refused = await (await broker(prefix, other, { dispatch: false })).verifyStore().then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(OrchestraError);
    expect(refused).toMatchObject({ code: "ERR_CONFIG" });
    expect((refused as Error).message).toBe(
      `this worker would record runs into ${other.location}, but the scheduler dispatching through Redis at ${redisAt(prefix).display} records into another store, ` +
        `${schedulers.location}: give the worker the scheduler's --backend (runs recorded anywhere else are never seen by the scheduler)`,
    );
  }, 15_000);

  it("a marker lasts only while a scheduler renews it: a store replaced or moved does not refuse workers for long", async () => {
    const prefix = testPrefix();
    cleanups.push(() => dropPrefix(prefix));
    const store = await tempStore();
    await broker(prefix, store);
    await expect.poll(() => markerIn(prefix), { timeout: 5_000, interval: 20 }).not.toBeNull();
    const client = redisClient();
    try {
      const ttl = await client.pttl(storeMarkerKey(prefix));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(MARKER_TTL_MS);
      // Written with a short life and not renewed, as when its scheduler stopped: gone once it runs out.
      const stale = testPrefix();
      cleanups.push(() => dropPrefix(stale));
      const queue = new Queue("marker", { connection: connectionOf(redisAt(stale)), prefix: stale });
      const found = await announceStore(await queue.client, stale, { id: "gone", location: "/old/orchestra.db" }, 200).finally(() => queue.close());
      expect(found).toBeNull();
      expect(await markerIn(stale)).not.toBeNull();
      await expect.poll(() => markerIn(stale), { timeout: 2_000, interval: 20 }).toBeNull();
    } finally {
      client.disconnect();
    }
  }, 15_000);

  it("with no scheduler heard of yet, a worker starts on any store", async () => {
    const prefix = testPrefix();
    cleanups.push(() => dropPrefix(prefix));
    await expect((await broker(prefix, await tempStore(), { dispatch: false })).verifyStore()).resolves.toBeUndefined();
  });

  it("two schedulers of different stores on one prefix: each takes the marker over in turn, and reports the other once", async () => {
    const prefix = testPrefix();
    cleanups.push(() => dropPrefix(prefix));
    const first = await tempStore();
    await broker(prefix, first);
    await expect.poll(() => markerIn(prefix), { timeout: 5_000, interval: 20 }).not.toBeNull();

    const errors: string[] = [];
    const second = await tempStore();
    await broker(prefix, second, { onError: (error) => errors.push(String(error)) });
    const secondMarker = JSON.stringify({ id: await storeIdentityOf(second.db), location: second.location });
    const firstMarker = JSON.stringify({ id: await storeIdentityOf(first.db), location: first.location });
    await expect.poll(() => markerIn(prefix), { timeout: 5_000, interval: 20 }).toBe(secondMarker);
    // The first one's next round (every 5 s) takes it back, then the second's again: no second report.
    await expect.poll(() => markerIn(prefix), { timeout: 8_000, interval: 20 }).toBe(firstMarker);
    await expect.poll(() => markerIn(prefix), { timeout: 8_000, interval: 20 }).toBe(secondMarker);
    expect(errors).toEqual([
      `Error: the scheduler that last dispatched through Redis at ${redisAt(prefix).display} recorded into another store, ${first.location} ` +
        `(this one records into ${second.location}): if both run, give each its own prefix (?prefix=name), for workers take every job under a prefix and record it into their one store`,
    ]);
  }, 25_000);
});
