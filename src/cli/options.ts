import { InvalidArgumentError, Option } from "commander";
import { namesNothing } from "../config/locations.ts";
import { MAX_TIMEOUT_SECONDS, maximumText } from "../jobs/limits.ts";
import { LOG_FORMATS, LOG_LEVELS } from "../log/logger.ts";

/** Option parsers shared by the commands: commander reports their errors as usage errors (exit 2). */

export function wholeNumberAtLeastOne(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError("must be a whole number of at least 1.");
  return value;
}

/**
 * Seconds that end in a timer (`--grace`, `--lease`): a Node.js timer waits at most 2^31 − 1 ms, and a
 * longer one fires after 1 ms (with a TimeoutOverflowWarning), so a grace of a month would be none.
 */
export function seconds(text: string): number {
  return secondsWithin(text, { zero: true });
}

/** The same, more than 0 (`--lease`: a lease of no time is always lost). */
export function positiveSeconds(text: string): number {
  return secondsWithin(text, { zero: false });
}

function secondsWithin(text: string, allowed: { readonly zero: boolean }): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || (value === 0 && !allowed.zero) || value > MAX_TIMEOUT_SECONDS) {
    const range = allowed.zero ? `from 0 to ${maximumText(MAX_TIMEOUT_SECONDS)}` : `more than 0 and at most ${maximumText(MAX_TIMEOUT_SECONDS)}`;
    throw new InvalidArgumentError(`must be a number of seconds ${range}.`);
  }
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

/** `--log-format human|json`, default human: the same for `run` and `worker`. */
export function logFormatOption(): Option {
  return new Option("--log-format <format>", "log lines for people, or one JSON object per line for machines").choices(LOG_FORMATS).default("human");
}

/** `--log-level debug|info|warn|error`, default info (a line per dispatch and per run; debug adds each run's start). */
export function logLevelOption(): Option {
  return new Option("--log-level <level>", "the least severe lines shown: debug adds each run's start, warn keeps only problems").choices(LOG_LEVELS).default("info");
}

/**
 * `--broker <url>`, or the ORCHESTRA_BROKER variable: a URL may carry a password, which the command
 * line shows to anyone running `ps` on the machine (and containers are configured by variables).
 */
export function brokerOption(description: string): Option {
  return new Option("--broker <url>", description).env("ORCHESTRA_BROKER").argParser(somewhere("broker"));
}

/** `--backend <url>`, or the ORCHESTRA_BACKEND variable (a PostgreSQL URL's password; see brokerOption). */
export function backendOption(description: string): Option {
  return new Option("--backend <url>", description).env("ORCHESTRA_BACKEND").argParser(somewhere("backend"));
}

/**
 * Refuses a location that names nothing (`""`, `sqlite:///`) as the option's own error, so that
 * commander says where it came from: the option, or `from env 'ORCHESTRA_BROKER'` (a variable set
 * empty is easily missed). Only these: commander quotes the value, and a URL's password must not be
 * echoed from a variable; the rest of the URL is read, with its own messages, when the command starts.
 */
function somewhere(role: "broker" | "backend"): (value: string) => string {
  return (value) => {
    const problem = namesNothing(value, role);
    if (problem !== undefined) throw new InvalidArgumentError(`The ${role} ${problem}.`);
    return value;
  };
}
