/**
 * BullMQ's words for a job that changed under a worker, as a worker's log should say them: what it
 * means, and that the store keeps the truth. They come when Redis restarted without its data (the
 * outbox sends such an occurrence again if its run did not finish) or when a task held its lock past
 * the lease (another worker took the job: see LoopWatch).
 */
export function explainJobError(message: string): string | null {
  const gone = /^Missing (key|lock) for job (.+)\. (\w+)$/.exec(message);
  if (gone !== null) {
    const [, what = "", job = "", command = ""] = gone;
    return what === "key"
      ? `job ${job} was gone from Redis when its worker ended it (${command}): Redis lost it (restarted without its data?). Its run is recorded in the store, and an occurrence whose run did not finish is sent again`
      : `job ${job} was no longer locked by this worker when it ended it (${command}): its lock ran out (the task held the event loop past the lease?) and another worker may have run it. Its runs are recorded in the store`;
  }
  const taken = /^Lock mismatch for job (.+)\. Cmd (\w+) from (\w+)$/.exec(message);
  if (taken !== null) {
    const [, job = "", command = ""] = taken;
    return `job ${job} was locked by another worker when this one ended it (${command}): its lock ran out (the task held the event loop past the lease?) and another worker took it. Its runs are recorded in the store`;
  }
  return null;
}
