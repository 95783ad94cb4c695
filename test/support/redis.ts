import { randomBytes } from "node:crypto";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { Redis } from "ioredis";
import { parseLocation, type RedisLocation } from "../../src/config/locations.ts";

/** The Redis the tests use: local, no persistence (.ci/run starts it); another port through ORCHESTRA_TEST_REDIS_PORT. */
export const REDIS_HOST = "127.0.0.1";
export const REDIS_PORT = Number(process.env.ORCHESTRA_TEST_REDIS_PORT ?? 6379);

/** Whether a Redis answers PING on 127.0.0.1:6379 within half a second (no client library involved). */
export function pingRedis(port = REDIS_PORT, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: REDIS_HOST, port });
    let reply = "";
    const done = (up: boolean): void => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(timeoutMs, () => {
      done(false);
    });
    socket.on("error", () => {
      done(false);
    });
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (data) => {
      reply += data.toString();
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
  });
}

export const redisUp = await pingRedis();

/** Suite names carry the reason when they are skipped, so a plain `npm test` says why. */
export const REDIS_SUITE_NOTE = redisUp ? "" : ` (skipped: no Redis on ${REDIS_HOST}:${String(REDIS_PORT)}; .ci/run starts one)`;
if (!redisUp) console.warn(`Redis suites skipped: nothing answers PING on ${REDIS_HOST}:${String(REDIS_PORT)}`);

/** A BullMQ key prefix of its own for one test: tests never see each other's jobs. */
export function testPrefix(): string {
  return `orchestra-test-${randomBytes(4).toString("hex")}`;
}

export function redisUrl(prefix: string, port = REDIS_PORT): string {
  return `redis://${REDIS_HOST}:${String(port)}/0?prefix=${prefix}`;
}

export function redisAt(prefix: string, port = REDIS_PORT): RedisLocation {
  const location = parseLocation(redisUrl(prefix, port), process.cwd(), "broker");
  if (location.kind !== "redis") throw new Error("expected a Redis location");
  return location;
}

/** A plain client, for looking at what BullMQ wrote and removing it. */
export function redisClient(): Redis {
  return new Redis({ host: REDIS_HOST, port: REDIS_PORT, maxRetriesPerRequest: 3 });
}

/** Removes every key under a test's prefix. */
export async function dropPrefix(prefix: string): Promise<void> {
  const client = redisClient();
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}

/**
 * A Redis server of a test's own, on another port, started and stopped as .ci/run's is (no
 * persistence, so a restart loses everything it held). A test that restarts Redis uses one, so that
 * the suites running beside it on the shared server are not cut off.
 */
export class PrivateRedis {
  readonly port: number;
  readonly #dir: string;
  #process: ChildProcess | null = null;

  constructor(port: number, dir: string) {
    this.port = port;
    this.#dir = dir;
  }

  async start(): Promise<void> {
    const child = spawn("redis-server", ["--bind", "127.0.0.1", "--port", String(this.port), "--save", "", "--appendonly", "no", "--dir", this.#dir], {
      stdio: "ignore",
    });
    this.#process = child;
    const deadline = Date.now() + 10_000;
    while (!(await pingRedis(this.port))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server on port ${String(this.port)} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** `redis-cli shutdown nosave`, as an operator would; waits for the server to exit. */
  async stop(): Promise<void> {
    const child = this.#process;
    if (child === null || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    spawnSync("redis-cli", ["-p", String(this.port), "shutdown", "nosave"], { stdio: "ignore" });
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
    this.#process = null;
  }
}
