import { Queue } from "bullmq";
import type { RedisLocation } from "../../config/locations.ts";
import { ErrorCode } from "../../errors/error-code.ts";
import { OrchestraError } from "../../errors/orchestra-error.ts";
import { connectionOf, redisNamed } from "./connection.ts";

/**
 * Redis's answers that no waiting mends: wrong credentials, none given, a database the server does not
 * have. ioredis only logs them and goes on (into database 0, or retrying forever), so a typo in the
 * URL was a process that ran and did nothing.
 */
const FATAL = /WRONGPASS|NOAUTH|DB index is out of range|invalid password|invalid username-password pair/i;

/**
 * Asks Redis once, at start, whether it takes this URL's credentials and database: a fatal answer is
 * an OrchestraError (ERR_CONFIG) naming the URL without its password. A refused connection, a timeout
 * or any other failure returns quietly: Redis may start later, and the outbox waits for it.
 *
 * @example
 * await checkRedisAtStartup(parseLocation("redis://:pw@cache:6379/99", process.cwd(), "broker"));
 */
export async function checkRedisAtStartup(location: RedisLocation, timeoutMs = 2_000): Promise<void> {
  const queue = new Queue("orchestra-startup-check", {
    // One try, no queueing while disconnected: the answer or the failure comes at once.
    connection: { ...connectionOf(location), retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: timeoutMs },
    prefix: location.prefix,
  });
  // ioredis tells a refused SELECT only as an event (and goes on in database 0); the rest rejects too.
  const heard: string[] = [];
  queue.on("error", (error: Error) => heard.push(error.message));
  let timer: NodeJS.Timeout | undefined;
  try {
    const asked = (async () => {
      const client = await queue.client;
      // Sent after the SELECT on the same connection: by its answer, the SELECT's has been heard.
      await client.info();
    })().catch((error: unknown) => heard.push(error instanceof Error ? error.message : String(error)));
    await Promise.race([
      asked,
      new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    const fatal = heard.find((message) => FATAL.test(message));
    if (fatal !== undefined) throw refusal(location, fatal);
  } finally {
    clearTimeout(timer);
    await queue.disconnect().catch(() => undefined);
  }
}

function refusal(location: RedisLocation, answer: string): OrchestraError {
  const fix = /DB index/i.test(answer) ? `the database ${location.db} does not exist there (a Redis has 0–15 unless configured otherwise)` : "check the user and password in the URL";
  return new OrchestraError(ErrorCode.Config, `${redisNamed(location.display)} refused the connection: ${answer.replace(/\.$/, "")}; ${fix}`);
}
