import { openPostgresStore } from "../../src/store/postgres/open.ts";
import type { Store } from "../../src/store/store.ts";
import { dropSchema, freshSchema, postgresUrl, skipWithoutPostgres } from "../support/postgres.ts";
import { storeConformance } from "./store.conformance.ts";

skipWithoutPostgres();

storeConformance({
  name: "PostgreSQL",
  fresh: () => {
    // A schema of its own for each test: nothing leaks between tests, files or concurrent runs.
    const schema = freshSchema("conformance");
    const opened: Store[] = [];
    return Promise.resolve({
      open: async () => {
        const store = await openPostgresStore(postgresUrl(schema));
        opened.push(store);
        return store;
      },
      dispose: async () => {
        for (const store of opened) await store.close();
        await dropSchema(schema);
      },
    });
  },
});
