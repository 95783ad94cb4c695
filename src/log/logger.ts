import { pino, type Logger } from "pino";
import { prettyFactory } from "pino-pretty";

export type LogFormat = "human" | "json";

export const LOG_FORMATS: readonly LogFormat[] = ["human", "json"];

export interface LoggerOptions {
  readonly format: LogFormat;
  /** Colour the human format's levels (a terminal without NO_COLOR). */
  readonly colors: boolean;
  /** Where each finished line goes: stdout, or the live table, which prints it above itself. */
  readonly write: (text: string) => void;
  readonly level?: "debug" | "info" | "warn" | "error";
}

/**
 * A pino logger writing synchronously through `write`: `json` as pino's own lines (one object per line,
 * for machines), `human` through pino-pretty as `[14:03:23] INFO: Paused job X`. Synchronous, in this
 * thread (no transport worker), so that a line is out before the live table redraws and nothing is
 * lost when the process exits right after the last one.
 */
export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? "info";
  if (options.format === "json") return pino({ level }, { write: options.write });
  const pretty: (line: string) => string = prettyFactory({
    colorize: options.colors,
    translateTime: "SYS:HH:MM:ss",
    ignore: "pid,hostname",
    // The fields are for machines; the message already says what a person needs.
    hideObject: true,
  });
  return pino({ level }, { write: (line: string) => { options.write(pretty(line)); } });
}
