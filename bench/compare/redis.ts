/** Redis for the peers: one server, a key prefix per run, cleanup by prefix. */
import { Redis } from "ioredis";

export const REDIS_URL = process.env.ORCHESTRA_BENCH_REDIS ?? "redis://127.0.0.1:6379";

export function connect(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: null });
}

/** Redis's used_memory, bytes. */
export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info("memory");
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

/** Deletes every key that starts with `prefix` (SCAN + UNLINK). */
export async function deleteByPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== "0");
}
