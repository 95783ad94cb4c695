import { InvalidArgumentError, Option } from "commander";

/** Option parsers shared by the commands: commander reports their errors as usage errors (exit 2). */

export function wholeNumberAtLeastOne(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError("must be a whole number of at least 1.");
  return value;
}

export function seconds(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0) throw new InvalidArgumentError("must be a number of seconds (0 or more).");
  return value;
}

export function positiveSeconds(text: string): number {
  const value = seconds(text);
  if (value === 0) throw new InvalidArgumentError("must be more than 0 seconds.");
  return value;
}

/** `default, reports` → ["default", "reports"]. */
export function queueList(text: string): string[] {
  const queues = text.split(",").map((queue) => queue.trim()).filter((queue) => queue !== "");
  if (queues.length === 0) throw new InvalidArgumentError("must name at least one queue.");
  return queues;
}

/** `--queues a,b`, default `default`. */
export function queuesOption(description: string): Option {
  return new Option("--queues <names>", description).argParser(queueList).default(["default"], "default");
}
