import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND } from "./time.ts";

/**
 * How long until a fire, as the seed's table shows it: `0:36:09` under a day, `1 day`, `28 days` beyond.
 * Negative spans (an overdue job) read `-0:00:03`.
 */
export function formatDueIn(ms: number): string {
  if (ms < 0) return `-${formatDueIn(-ms)}`;
  if (ms >= MS_PER_DAY) {
    const days = Math.floor(ms / MS_PER_DAY);
    return `${days} day${days === 1 ? "" : "s"}`;
  }
  const hours = Math.floor(ms / MS_PER_HOUR);
  const minutes = Math.floor((ms % MS_PER_HOUR) / MS_PER_MINUTE);
  const seconds = Math.floor((ms % MS_PER_MINUTE) / MS_PER_SECOND);
  return `${hours}:${String(minutes).padStart(2, "0")}:${String(seconds).padStart(2, "0")}`;
}
