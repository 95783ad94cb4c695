import type { Instant } from "./time.ts";
import { localFields } from "./time.ts";
import type { Zone } from "./zone.ts";

/** ISO 8601 in the zone's wall clock with its UTC offset: `2024-03-31T03:30:00+02:00`. */
export function formatInstant(instant: Instant, zone: Zone): string {
  const offset = zone.offsetAt(instant);
  const f = localFields(instant + offset);
  const ms = f.millisecond === 0 ? "" : `.${String(f.millisecond).padStart(3, "0")}`;
  return `${f.year}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}${ms}${formatOffset(offset)}`;
}

/** `+01:00`, `-03:30`, `+00:00`; offsets with seconds (local mean time before 1900) round to the minute. */
export function formatOffset(offset: number): string {
  const sign = offset < 0 ? "-" : "+";
  const minutes = Math.round(Math.abs(offset) / 60_000);
  return `${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}
