import type { EnqueueRequest } from "../message.ts";

/**
 * The BullMQ job id of an occurrence: its key in the ledger (job, due instant, origin), so adding the
 * same occurrence twice, from two schedulers or a re-publish after a crash, finds the job already there.
 *
 * BullMQ refuses ids that are plain integers or hold a ':' (its key separator). The job name is
 * percent-encoded (which turns ':' and '@' into %3A and %40), so '@' can separate the parts and no
 * two occurrences share an id: `nightly@1764380000000`, `nightly@1764380000000@manual`.
 */
export function jobIdOf(request: Pick<EnqueueRequest, "dueAt" | "origin"> & { readonly message: { readonly jobName: string } }): string {
  const base = `${encodeURIComponent(request.message.jobName)}@${String(request.dueAt)}`;
  return request.origin === "schedule" ? base : `${base}@${request.origin}`;
}
