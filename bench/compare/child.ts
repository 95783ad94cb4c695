/**
 * The entry of every measured child process: `node --import tsx bench/compare/child.ts <case> …`.
 * Emits one result line (see fixtures/support.ts) and exits.
 */
import { emitResult } from "../fixtures/support.ts";
import { bullmqLateness } from "./bullmq.ts";
import { celeryLateness } from "./celery.ts";
import { orchestraLateness } from "./orchestra.ts";
import { orchestraRedisLateness } from "./orchestra-redis.ts";
import type { LatenessArgs, LatenessResult } from "./protocol.ts";
import { bullmqThroughput, bullmqWorker } from "./throughput.ts";

const LATENESS: Readonly<Record<string, (args: LatenessArgs) => Promise<LatenessResult>>> = {
  orchestra: orchestraLateness,
  "orchestra-redis": orchestraRedisLateness,
  bullmq: bullmqLateness,
  celery: celeryLateness,
};

const [kind, a = "", b = "", c = "", d = "plain"] = process.argv.slice(2);
if (kind === "lateness") {
  const run = LATENESS[a];
  if (run === undefined) throw new Error(`no lateness adapter for ${a}`);
  emitResult(await run(JSON.parse(b) as LatenessArgs));
} else if (kind === "bullmq-throughput") {
  emitResult(await bullmqThroughput(Number(a), Number(b), Number(c), d === "orchestra" ? "orchestra" : "plain"));
} else if (kind === "bullmq-worker") {
  await bullmqWorker(a, Number(b));
} else throw new Error(`unknown case ${String(kind)}`);
process.exit(0);
