/** The systems compared, and whether each can run here (a peer that cannot is reported, not dropped). */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { celeryAvailable } from "./celery.ts";
import type { SystemName } from "./protocol.ts";
import { connect } from "./redis.ts";

export interface System {
  readonly name: SystemName;
  readonly label: string;
  /** null: it can run; otherwise why not ("not installed: …"). */
  readonly unavailable: string | null;
  readonly version: string;
}

function packageVersion(name: string): string {
  const probe = spawnSync(process.execPath, ["-p", `require("${name}/package.json").version`], { encoding: "utf8" });
  return probe.status === 0 ? probe.stdout.trim() : "?";
}

async function redisReachable(): Promise<string | null> {
  const redis = connect();
  redis.on("error", () => undefined);
  try {
    await Promise.race([redis.ping(), new Promise((_, reject) => setTimeout(() => {
      reject(new Error("no answer in 2 s"));
    }, 2000))]);
    return null;
  } catch (error) {
    return `failed: Redis unreachable (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    redis.disconnect();
  }
}

export async function systems(): Promise<System[]> {
  const redis = await redisReachable();
  const celery = celeryAvailable();
  const bullmq = packageVersion("bullmq");
  return [
    { name: "orchestra", label: "Orchestra embedded (SQLite)", unavailable: null, version: (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version },
    { name: "orchestra-redis", label: "Orchestra on Redis (BullMQ broker)", unavailable: redis, version: `bullmq ${bullmq}` },
    { name: "bullmq", label: "BullMQ job schedulers", unavailable: redis, version: bullmq },
    {
      name: "celery",
      label: "Celery beat (Redis broker)",
      unavailable: redis ?? (celery.ok ? null : celery.reason),
      version: celery.ok ? celery.version : "–",
    },
  ];
}
