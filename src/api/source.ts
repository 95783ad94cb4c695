import type { JobView } from "../jobs/view.ts";
import type { HealthReport, JobFilter, RunsPage, ScheduleTaskInput, ScheduleTaskSettings } from "../orchestra.ts";
import type { StateChange } from "../scheduler/scheduler.ts";
import type { RunRow, RunStatus } from "../store/schema.ts";

/**
 * What the REST API reads and changes: an Orchestra is one. Every change goes through the scheduler
 * to the store, so it survives a restart and the live table shows it at once.
 */
export interface ApiSource {
  getJobs(filter?: JobFilter): Promise<JobView[]>;
  getJob(name: string): Promise<JobView>;
  scheduleTask(input: ScheduleTaskInput, settings?: ScheduleTaskSettings): Promise<JobView>;
  deleteJob(name: string): Promise<void>;
  pauseJob(name: string): Promise<StateChange>;
  resumeJob(name: string): Promise<StateChange>;
  triggerJob(name: string): Promise<number>;
  pauseJobsWithTags(tags: readonly string[], options?: { anyTag?: boolean }): Promise<StateChange[]>;
  resumeJobsWithTags(tags: readonly string[], options?: { anyTag?: boolean }): Promise<StateChange[]>;
  triggerJobsWithTags(tags: readonly string[], options?: { anyTag?: boolean }): Promise<{ name: string; occurrenceId: number }[]>;
  deleteJobsWithTags(tags: readonly string[], options?: { anyTag?: boolean }): Promise<string[]>;
  getRuns(name: string, page?: RunsPage): Promise<RunRow[]>;
  countRuns(name: string, filter?: { readonly status?: RunStatus }): Promise<number>;
  getRun(name: string, id: number): Promise<RunRow>;
  getTags(): Promise<{ tag: string; jobs: number }[]>;
  countJobs(): Promise<Record<JobView["state"], number>>;
  health(): Promise<HealthReport>;
}
