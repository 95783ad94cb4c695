import { join } from "node:path";
import { sqliteQueueTally } from "../support/pair-brokers.ts";
import { tempDir } from "../support/store.ts";
import { pairConformance } from "./pairs.conformance.ts";

// The embedded pair: the queue and the store in one SQLite file, a fresh one for each test.
pairConformance({
  name: "SQLite broker + SQLite store",
  fresh: () => {
    const dir = tempDir();
    const file = `sqlite:///${join(dir.path, "orchestra.db")}`;
    return Promise.resolve({
      broker: file,
      backend: file,
      tally: sqliteQueueTally,
      dispose: () => {
        dir.cleanup();
        return Promise.resolve();
      },
    });
  },
});
