import type { Store } from "../../src/store/store.ts";

/** Everything a store holds, in a stable order, read with the same Kysely queries on every dialect. */
export async function readLedger(store: Store) {
  const occurrences = await store.db.selectFrom("occurrences").selectAll().orderBy("job_name").orderBy("due_at").orderBy("origin").execute();
  const runs = await store.db.selectFrom("runs").selectAll().orderBy("occurrence_id").orderBy("attempt").execute();
  const jobs = await store.db.selectFrom("jobs").selectAll().orderBy("name").execute();
  return { occurrences, runs, jobs };
}
