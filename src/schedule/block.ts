import { MAX_LENGTH } from "../jobs/text.ts";
import { readJob, type JobEntry } from "./job.ts";
import { BLOCK_KEYS } from "./keys.ts";
import type { ProblemLog } from "./problems.ts";
import { describeNode, readFields, readList, readString } from "./read.ts";
import type { Written } from "./timing.ts";
import type { SourceNode } from "./tree.ts";

/** One `- module: … schedules: […]` block, as far as it could be read. */
export interface BlockEntry {
  /** The module as written; undefined when missing or invalid (already reported). */
  readonly module: Written<string> | undefined;
  readonly jobs: readonly JobEntry[];
}

/**
 * The blocks of a schedule. The root must be a list; a single block written without its leading
 * `- ` is a common slip, and the message says how to fix it.
 */
export function readBlocks(root: SourceNode, log: ProblemLog): BlockEntry[] {
  if (root.kind !== "seq") {
    const looksLikeBlock = root.kind === "map" && root.entries.some((entry) => BLOCK_KEYS.keys.includes(entry.key));
    const hint = looksLikeBlock ? '; write the block as a list item: "- module: …"' : " (- module: …, schedules: […])";
    log.add(root, `a schedule must be a list of blocks, not ${describeNode(root)}${hint}`);
    return [];
  }
  return root.items.map((item) => readBlock(item, log));
}

function readBlock(node: SourceNode, log: ProblemLog): BlockEntry {
  const fields = readFields(node, BLOCK_KEYS, log, "a block");
  if (fields === undefined) return { module: undefined, jobs: [] };
  const nameNode = fields.get("name");
  if (nameNode !== undefined) readString(nameNode, log, "name");
  const moduleNode = fields.get("module");
  const moduleValue = moduleNode === undefined ? undefined : readString(moduleNode, log, "module", { maxLength: MAX_LENGTH.module, printable: true });
  const schedulesNode = fields.get("schedules");
  const schedules = schedulesNode === undefined ? undefined : readList(schedulesNode, log, "schedules", "jobs");
  return {
    module: moduleNode === undefined || moduleValue === undefined ? undefined : { value: moduleValue, node: moduleNode },
    jobs: schedules === undefined ? [] : schedules.items.map((item) => readJob(item, log)),
  };
}
