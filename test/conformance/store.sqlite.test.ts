import { join } from "node:path";
import { openSqliteStore } from "../../src/store/sqlite/open.ts";
import type { Store } from "../../src/store/store.ts";
import { tempDir } from "../support/store.ts";
import { storeConformance } from "./store.conformance.ts";

storeConformance({
  name: "SQLite",
  fresh: () => {
    const dir = tempDir();
    const path = join(dir.path, "orchestra.db");
    const opened: Store[] = [];
    return Promise.resolve({
      open: async () => {
        const store = await openSqliteStore(path);
        opened.push(store);
        return store;
      },
      dispose: async () => {
        for (const store of opened) await store.close();
        dir.cleanup();
      },
    });
  },
});
