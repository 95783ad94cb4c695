import type { RedisOptions } from "bullmq";
import type { RedisLocation } from "../../config/locations.ts";

/**
 * ioredis options for a Redis location. Each BullMQ Queue and Worker opens its own connections from
 * them (a Worker needs a blocking one of its own anyway).
 */
export function connectionOf(location: RedisLocation): RedisOptions {
  return {
    host: location.host,
    port: location.port,
    db: location.db,
    ...(location.username === undefined ? {} : { username: location.username }),
    ...(location.password === undefined ? {} : { password: location.password }),
    ...(location.tls ? { tls: {} } : {}),
    // Reconnect soon after Redis comes back (BullMQ's default waits up to 20 s between tries); dispatch
    // does not depend on it (the outbox holds what is not published), but latency does.
    retryStrategy: (times: number) => Math.min(200 * times, 2_000),
  };
}

/**
 * BullMQ joins its keys with ':', so a queue name may not hold one; Orchestra's queue names may. The
 * encoding is the identity for ordinary names (`default`, `background-jobs`).
 */
export function bullmqQueueName(queue: string): string {
  return encodeURIComponent(queue);
}

/** How messages name a Redis: `Redis at redis://host:6379/0` (password masked), or `Redis` when its URL is not known. */
export function redisNamed(location: string | undefined): string {
  return location === undefined ? "Redis" : `Redis at ${location}`;
}
