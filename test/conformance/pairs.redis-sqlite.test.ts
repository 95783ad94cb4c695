import { join } from "node:path";
import { freshRedisBroker } from "../support/pair-brokers.ts";
import { REDIS_SUITE_NOTE, redisUp } from "../support/redis.ts";
import { tempDir } from "../support/store.ts";
import { pairConformance } from "./pairs.conformance.ts";

// Tasks through BullMQ under a key prefix of each test's own; jobs and runs in a fresh SQLite file.
pairConformance({
  name: `Redis broker + SQLite store${REDIS_SUITE_NOTE}`,
  skip: !redisUp,
  fresh: () => {
    const dir = tempDir();
    const redis = freshRedisBroker();
    return Promise.resolve({
      broker: redis.url,
      backend: `sqlite:///${join(dir.path, "runs.db")}`,
      tally: redis.tally,
      dispose: async () => {
        await redis.dispose();
        dir.cleanup();
      },
    });
  },
});
