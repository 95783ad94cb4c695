import { writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Writes into `dir` a task module and a schedule of one job due every second that catches up all it
 * missed (`missed: all`): what the scheduler fault tests count occurrences of. Returns the schedule
 * file and the store `orchestra run` keeps beside it.
 */
export function writeEverySecondSchedule(dir: string): { schedule: string; db: string } {
  writeFileSync(join(dir, "tasks.mjs"), "export function tick() { return 1; }\n");
  const schedule = join(dir, "schedule.yaml");
  writeFileSync(
    schedule,
    ["- module: ./tasks.mjs", "  schedules:", "    - name: every_second", "      task: tick", "      schedule: { timing: every 00:00:01 }", "      missed: all", ""].join("\n"),
  );
  return { schedule, db: join(dir, "orchestra.db") };
}
