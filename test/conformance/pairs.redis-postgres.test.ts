import { freshRedisBroker } from "../support/pair-brokers.ts";
import { dropSchema, freshSchema, postgresUrl, skipWithoutPostgres } from "../support/postgres.ts";
import { REDIS_SUITE_NOTE, redisUp } from "../support/redis.ts";
import { pairConformance } from "./pairs.conformance.ts";

// Skipped with the reason without PostgreSQL; failed instead under ORCHESTRA_REQUIRE_POSTGRES=1 (CI).
skipWithoutPostgres();

// The distributed pair: tasks through BullMQ, jobs and runs in PostgreSQL; a key prefix and a schema of each test's own.
pairConformance({
  name: `Redis broker + PostgreSQL store${REDIS_SUITE_NOTE}`,
  skip: !redisUp,
  fresh: () => {
    const schema = freshSchema("pairs");
    const redis = freshRedisBroker();
    return Promise.resolve({
      broker: redis.url,
      backend: postgresUrl(schema),
      tally: redis.tally,
      dispose: async () => {
        await redis.dispose();
        await dropSchema(schema);
      },
    });
  },
});
