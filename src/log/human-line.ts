import { createColors } from "picocolors";

/** pino's level numbers, as the human format names them. */
const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };

/**
 * The human format's line: `[14:03:23] INFO: Paused job X`, local time, the level coloured by severity
 * and the sentence in cyan on a colour terminal. The fields are for machines (`--log-format json`);
 * the sentence already says what a person needs.
 */
export function humanLineFormatter(colors: boolean): (level: number, msg: string, at: Date) => string {
  const paint = createColors(colors);
  const levelColors: Readonly<Record<number, (text: string) => string>> = {
    10: paint.gray,
    20: paint.blue,
    30: paint.green,
    40: paint.yellow,
    50: paint.red,
    60: paint.bgRed,
  };
  return (level, msg, at) => {
    const name = LEVEL_NAMES[level] ?? "USERLVL";
    const time = `${twoDigits(at.getHours())}:${twoDigits(at.getMinutes())}:${twoDigits(at.getSeconds())}`;
    return `[${time}] ${(levelColors[level] ?? paint.reset)(name)}: ${paint.cyan(msg)}\n`;
  };
}

function twoDigits(value: number): string {
  return value < 10 ? `0${String(value)}` : String(value);
}
