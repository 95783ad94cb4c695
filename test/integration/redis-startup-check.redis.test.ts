import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRedisAtStartup } from "../../src/broker/bullmq/startup-check.ts";
import { parseLocation, type RedisLocation } from "../../src/config/locations.ts";
import { ErrorCode } from "../../src/errors/error-code.ts";
import { OrchestraError } from "../../src/errors/orchestra-error.ts";
import { pingRedis, REDIS_PORT, REDIS_SUITE_NOTE, redisUp, testPrefix } from "../support/redis.ts";

const serverInstalled = spawnSync("redis-server", ["--version"]).status === 0;
/** A server of its own that wants a password (the shared one takes none); a port no other suite uses. */
const LOCKED_PORT = 6393;

function at(url: string): RedisLocation {
  return parseLocation(url, process.cwd(), "broker") as RedisLocation;
}

async function refusal(url: string): Promise<OrchestraError> {
  const error: unknown = await checkRedisAtStartup(at(url)).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(OrchestraError);
  expect((error as OrchestraError).code).toBe(ErrorCode.Config);
  return error as OrchestraError;
}

describe.skipIf(!redisUp)(`the Redis startup check${REDIS_SUITE_NOTE}`, () => {
  it("passes a Redis that takes the URL", async () => {
    await expect(checkRedisAtStartup(at(`redis://127.0.0.1:${REDIS_PORT}/3?prefix=${testPrefix()}`))).resolves.toBeUndefined();
  });

  it("refuses a database the server does not have (ioredis only logged it and wrote into db 0)", async () => {
    const error = await refusal(`redis://127.0.0.1:${REDIS_PORT}/99?prefix=${testPrefix()}`);
    expect(error.message).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:\d+\/99\?prefix=orchestra-test-\w+ refused the connection: ERR DB index is out of range; the database 99 does not exist there/);
  });

  it("refuses a user the server does not know, naming the URL without its password", async () => {
    const error = await refusal(`redis://nobody:s3cret@127.0.0.1:${REDIS_PORT}/0`);
    expect(error.message).toBe(
      `Redis at redis://nobody:***@127.0.0.1:${REDIS_PORT}/0 refused the connection: WRONGPASS invalid username-password pair or user is disabled; check the user and password in the URL`,
    );
  });

  it("returns when nothing listens, or nothing answers in time: Redis may start later, the outbox waits", async () => {
    const started = Date.now();
    await expect(checkRedisAtStartup(at("redis://127.0.0.1:6394/0"))).resolves.toBeUndefined();
    await expect(checkRedisAtStartup(at("redis://192.0.2.1:6379/0"), 300)).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe.skipIf(!redisUp || !serverInstalled)(`the Redis startup check, on a server with a password${REDIS_SUITE_NOTE}`, () => {
  let server: ChildProcess;
  beforeAll(async () => {
    server = spawn("redis-server", ["--bind", "127.0.0.1", "--port", String(LOCKED_PORT), "--save", "", "--appendonly", "no", "--requirepass", "right"], { stdio: "ignore" });
    const deadline = Date.now() + 10_000;
    // Without the password it answers PING with -NOAUTH: up, though not +PONG.
    while (!(await new Promise<boolean>((resolve) => spawn("redis-cli", ["-p", String(LOCKED_PORT), "-a", "right", "--no-auth-warning", "ping"]).on("exit", (code) => { resolve(code === 0); })))) {
      if (server.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server on port ${LOCKED_PORT} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  afterAll(async () => {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
    expect(await pingRedis(LOCKED_PORT, 100)).toBe(false);
  });

  it("refuses a URL without the password the server wants (NOAUTH)", async () => {
    const error = await refusal(`redis://127.0.0.1:${LOCKED_PORT}/0`);
    expect(error.message).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:6393\/0 refused the connection: NOAUTH Authentication required; check the user and password in the URL$/);
  });

  it("refuses a wrong password, masked", async () => {
    const error = await refusal(`redis://:badpw@127.0.0.1:${LOCKED_PORT}/0`);
    expect(error.message).toMatch(/^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:6393\/0 refused the connection: (WRONGPASS|ERR invalid password)/);
    expect(error.message).not.toContain("badpw");
  });

  it("passes the right one", async () => {
    await expect(checkRedisAtStartup(at(`redis://:right@127.0.0.1:${LOCKED_PORT}/1`))).resolves.toBeUndefined();
  });
});
