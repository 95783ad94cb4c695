import type { TaskQueue } from "../broker/task-queue.ts";
import { DuplicateJobError, JobNotFoundError } from "../errors/job-errors.ts";
import type { JobDefinition } from "../jobs/definition.ts";
import { fileOf } from "../jobs/source.ts";
import { definitionColumns, jobsRepository, type NewJob, type StoredJob } from "../store/jobs.ts";
import { revisions } from "../store/revisions.ts";
import type { JobState } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { parseTiming } from "../timing/parse.ts";
import type { Instant } from "../timing/time.ts";
import type { Trigger } from "../timing/trigger.ts";
import { MAX_TIMER_MS, systemClock, type Clock, type TimerHandle } from "./clock.ts";
import { latenessOf, writeDispatch, type DispatchItem } from "./dispatch.ts";
import { DueHeap } from "./due-heap.ts";
import type { SchedulerEvent } from "./events.ts";
import { internedJobReader } from "./intern.ts";
import { HigherPriorityQueues } from "./higher-priority-queues.ts";
import { planDue } from "./plan.ts";
import { canonicalJson } from "../util/canonical-json.ts";

export interface SchedulerOptions {
  readonly store: Store;
  readonly queue: TaskQueue;
  readonly clock?: Clock;
  /** Occurrences at most this late are on time; older ones follow the job's missed policy. Default 1 s. */
  readonly graceMs?: number;
  /** Most jobs dispatched in one transaction. Default 1000. */
  readonly batchSize?: number;
  /**
   * Dispatches occurrences up to this long before they are due (default 0: at their due instant). The
   * queue holds each message until its due instant (as with a countdown), so a task still cannot
   * start early; in exchange it is ready at its due instant even when a crowd of jobs falls due at
   * once and writing them takes a while. A job paused or deleted within that window still runs the
   * occurrence already sent.
   */
  readonly lookaheadMs?: number;
  /**
   * How often the loop looks for changes made by other schedulers on the same store (pause, resume,
   * add, update, delete; one small read when there are none). Default 1 s: another scheduler's change
   * takes effect here within that.
   */
  readonly syncMs?: number;
  /** The longest the loop sleeps before looking at the clock again (guards against clock jumps). Default 60 s. */
  readonly maxSleepMs?: number;
  readonly onEvent?: (event: SchedulerEvent) => void;
}

/**
 * What `Orchestra` (and so `orchestra run`) dispatches ahead: enough to write a crowd of a few thousand
 * jobs falling due in the same second before their instant, small enough that a pause takes effect
 * at once for any practical purpose.
 */
export const DEFAULT_LOOKAHEAD_MS = 100;

/** A job as the scheduler holds it in memory: just what it needs to dispatch. */
interface LiveJob {
  definition: JobDefinition;
  trigger: Trigger;
  source: string;
  state: JobState;
  anchor: Instant;
  nextDue: Instant | null;
  /** Bumped on every reschedule so stale heap entries are recognised. */
  version: number;
}

/** The outcome of pause/resume: `changed` is false when the job already was in that state (a no-op). */
export interface StateChange {
  readonly name: string;
  readonly state: JobState;
  readonly changed: boolean;
}

/**
 * Holds the jobs, knows each one's next due instant and dispatches every occurrence once. One timer
 * for the earliest due job; `tick()` is the whole step (dispatch what is due, return how long to sleep)
 * so tests call it by hand with a ManualClock. Every change is written to the store before memory.
 */
export class Scheduler {
  readonly #store: Store;
  readonly #queue: TaskQueue;
  readonly #clock: Clock;
  readonly #graceMs: number;
  readonly #batchSize: number;
  readonly #maxSleepMs: number;
  readonly #lookaheadMs: number;
  readonly #syncMs: number;
  readonly #onEvent: (event: SchedulerEvent) => void;
  readonly #jobs = new Map<string, LiveJob>();
  /** Queues where a job has a priority above 0: a remote broker must rank their default priority too. */
  readonly #higherPriority = new HigherPriorityQueues();
  readonly #heap = new DueHeap();
  /**
   * Triggers are pure and immutable, so jobs with the same timing and zone share one: with many jobs
   * on a few timings this keeps the scheduler's memory per job small.
   */
  readonly #triggers = new Map<string, Trigger>();
  /** Rows become jobs through it, sharing the values jobs have in common; renewed by each load(). */
  #readJob = internedJobReader();
  /** The latest store revision whose changes this scheduler holds; see sync(). */
  #seenRevision = 0;
  #nextSyncAt = 0;
  #timer: TimerHandle | null = null;
  #running = false;
  /** The loop's last round failed (the store away): the next one that does not says it is back. */
  #failing = false;
  /** What the store did in the round under way: nothing asked of it, answered, or failed a sync (which wins). */
  #roundStore: "untouched" | "answered" | "failed" = "untouched";
  /** Serialises ticks and changes: each waits for the previous one. */
  #queueTail: Promise<unknown> = Promise.resolve();

  constructor(options: SchedulerOptions) {
    this.#store = options.store;
    this.#queue = options.queue;
    this.#clock = options.clock ?? systemClock;
    this.#graceMs = options.graceMs ?? 1000;
    this.#batchSize = options.batchSize ?? 1000;
    this.#maxSleepMs = Math.min(options.maxSleepMs ?? 60_000, MAX_TIMER_MS);
    this.#lookaheadMs = Math.max(0, options.lookaheadMs ?? 0);
    this.#syncMs = Math.max(1, options.syncMs ?? 1000);
    this.#onEvent = options.onEvent ?? (() => undefined);
  }

  get clock(): Clock {
    return this.#clock;
  }

  /** Loads every job from the store. Occurrences missed while nothing ran are handled by the first tick. */
  load(): Promise<void> {
    return this.#serial(async () => {
      this.#jobs.clear();
      this.#higherPriority.clear();
      this.#heap.clear();
      this.#readJob = internedJobReader();
      // Read before the jobs: a change committed in between is read again by the next sync, not lost.
      this.#seenRevision = await revisions.current(this.#store.db);
      this.#nextSyncAt = this.#clock.now() + this.#syncMs;
      for (const stored of await jobsRepository.all(this.#store.db, this.#readJob)) this.#remember(stored);
    });
  }

  /**
   * Adds or updates jobs declared by `source` (a schedule file, or code). A job whose definition is
   * unchanged keeps its state, phase and next due; one whose timing changed starts its schedule anew
   * (keeping a pause); jobs the source no longer declares are removed. A job of the same name from
   * another source is refused, unless `takesOver` says that source is gone (a schedule file renamed or
   * moved): the job then becomes this source's, with its state and history.
   */
  define(definitions: readonly JobDefinition[], source: string, takesOver: (other: string) => boolean = () => false): Promise<void> {
    return this.#serial(async () => {
      const now = this.#clock.now();
      const declared = new Set(definitions.map((definition) => definition.name));
      for (const name of declared) {
        const other = this.#jobs.get(name);
        if (other !== undefined && other.source !== source && !takesOver(other.source)) throw new DuplicateJobError(name, declaredBy(other.source));
      }
      const triggers = new Map(definitions.map((d) => [d.name, this.#triggerFor(d)]));
      const removed = [...this.#jobs.values()].filter((job) => job.source === source && !declared.has(job.definition.name));
      const events: SchedulerEvent[] = [];
      await this.#store.write(async (tx) => {
        let revision: number | undefined;
        const nextRevision = async (): Promise<number> => (revision ??= await revisions.next(tx));
        events.length = 0; // a transaction tried again starts over
        for (const job of removed) {
          await nextRevision();
          await jobsRepository.delete(tx, job.definition.name);
        }
        const added: NewJob[] = [];
        for (const definition of definitions) {
          const trigger = triggers.get(definition.name) as Trigger;
          const existing = this.#jobs.get(definition.name);
          if (existing === undefined) {
            const nextDue = trigger.nextFire(now, now);
            added.push({ definition, kind: trigger.kind, source, state: stateFor(nextDue), anchor: now, nextDue });
            events.push({ type: "scheduled", job: definition.name, nextDue });
          } else if (!sameDefinition(existing.definition, definition) || existing.source !== source) {
            if (existing.source !== source) events.push({ type: "taken-over", job: definition.name, from: existing.source, by: source });
            const timingChanged = existing.definition.timing !== definition.timing || existing.definition.timezone !== definition.timezone;
            const anchor = timingChanged ? now : existing.anchor;
            // Same timing: the schedule goes on where it was, so occurrences already due are still caught up.
            const nextDue = timingChanged ? trigger.nextFire(now, anchor) : existing.nextDue;
            const state = existing.state === "paused" ? "paused" : stateFor(nextDue);
            await jobsRepository.update(
              tx,
              definition.name,
              { ...definitionColumns(definition, trigger.kind, source), anchor, next_due: nextDue, state, revision: await nextRevision() },
              now,
            );
            events.push({ type: "updated", job: definition.name, nextDue });
          }
        }
        if (added.length > 0) await jobsRepository.insertMany(tx, added, now, await nextRevision());
      });
      for (const job of removed) this.#forget(job.definition.name);
      const changed = definitions.filter((definition) => {
        const existing = this.#jobs.get(definition.name);
        return existing === undefined || !sameDefinition(existing.definition, definition) || existing.source !== source;
      });
      const names = changed.map((definition) => definition.name);
      for (const stored of await jobsRepository.findMany(this.#store.db, names, this.#readJob)) this.#remember(stored, triggers.get(stored.definition.name));
      for (const job of removed) events.push({ type: "deleted", job: job.definition.name });
      for (const event of events) this.#onEvent(event);
      this.#rearm();
    });
  }

  /** Adds one job (API, code); a job of that name must not exist yet. */
  add(definition: JobDefinition, source: string): Promise<StoredJob> {
    return this.#serial(async () => {
      const existing = this.#jobs.get(definition.name);
      if (existing !== undefined) throw new DuplicateJobError(definition.name, declaredBy(existing.source));
      const trigger = this.#triggerFor(definition);
      const now = this.#clock.now();
      const nextDue = trigger.nextFire(now, now);
      await this.#store.write(async (tx) =>
        jobsRepository.insert(tx, { definition, kind: trigger.kind, source, state: stateFor(nextDue), anchor: now, nextDue }, now, await revisions.next(tx)),
      );
      const stored = await this.#find(definition.name);
      this.#remember(stored, trigger);
      this.#onEvent({ type: "scheduled", job: definition.name, nextDue });
      this.#rearm();
      return stored;
    });
  }

  /** Pauses a job: it keeps its definition and phase but nothing is dispatched until it is resumed. */
  pause(name: string): Promise<StateChange> {
    return this.#serial(async () => {
      const job = this.#get(name);
      if (job.state !== "running") return { name, state: job.state, changed: false };
      await this.#store.write(async (tx) => jobsRepository.update(tx, name, { state: "paused", revision: await revisions.next(tx) }, this.#clock.now()));
      job.state = "paused";
      job.version++;
      this.#onEvent({ type: "paused", job: name });
      this.#rearm();
      return { name, state: job.state, changed: true };
    });
  }

  /**
   * Resumes a paused job from now: what fell due while it was paused is not replayed (the seed's
   * burst of missed intervals was a fault). A CYCLIC job keeps its phase.
   */
  resume(name: string): Promise<StateChange> {
    return this.#serial(async () => {
      const job = this.#get(name);
      if (job.state !== "paused") return { name, state: job.state, changed: false };
      const now = this.#clock.now();
      const nextDue = job.trigger.nextFire(now, job.anchor);
      const state = stateFor(nextDue);
      await this.#store.write(async (tx) => jobsRepository.update(tx, name, { state, next_due: nextDue, revision: await revisions.next(tx) }, now));
      job.state = state;
      job.nextDue = nextDue;
      job.version++;
      if (state === "running" && nextDue !== null) this.#heap.push(nextDue, name, job.version);
      this.#onEvent({ type: "resumed", job: name, nextDue });
      this.#rearm();
      return { name, state, changed: true };
    });
  }

  /** Runs a job now, outside its schedule (also a paused or done one); its schedule is unchanged. */
  trigger(name: string): Promise<number> {
    return this.#serial(async () => {
      const job = this.#get(name);
      const now = this.#clock.now();
      const written = await this.#store.write((tx) =>
        writeDispatch(
          tx,
          this.#queue,
          [{ definition: job.definition, origin: "manual", occurrences: [{ dueAt: now, outcome: "dispatched", reason: "triggered by hand" }] }],
          now,
          this.#higherPriority.names,
        ),
      );
      this.#queue.committed?.();
      const occurrence = written[0];
      if (occurrence === undefined) throw new Error(`job "${name}" was already triggered at this very millisecond`);
      this.#onEvent({ type: "triggered", job: name, occurrenceId: occurrence.id });
      return occurrence.id;
    });
  }

  /** Deletes a job and stops its schedule; its history (occurrences, runs) stays in the store. */
  delete(name: string): Promise<void> {
    return this.#serial(async () => {
      this.#get(name);
      await this.#store.write(async (tx) => {
        await revisions.next(tx);
        await jobsRepository.delete(tx, name);
      });
      this.#forget(name);
      this.#onEvent({ type: "deleted", job: name });
      this.#rearm();
    });
  }

  /** Names of the jobs that carry the tags: any one of them (`anyTag`), or all of them. */
  namesWithTags(tags: readonly string[], anyTag: boolean): string[] {
    const wanted = new Set(tags);
    return [...this.#jobs.values()]
      .filter((job) => {
        const has = job.definition.tags.filter((tag) => wanted.has(tag)).length;
        return anyTag ? has > 0 : has === wanted.size && wanted.size > 0;
      })
      .map((job) => job.definition.name);
  }

  has(name: string): boolean {
    return this.#jobs.has(name);
  }

  get size(): number {
    return this.#jobs.size;
  }

  /** The earliest due instant among running jobs, or null. */
  nextDue(): Instant | null {
    this.#dropStale();
    return this.#heap.peek()?.due ?? null;
  }

  /**
   * One step of the loop: dispatches every occurrence due by now (in batches, each one transaction),
   * then returns how long to sleep before the next one is due.
   */
  tick(): Promise<number> {
    return this.#serial(async () => {
      this.#roundStore = "untouched";
      if (this.#clock.now() >= this.#nextSyncAt) {
        try {
          await this.#sync();
          this.#roundStore = "answered";
        } catch (error) {
          // Not seeing other schedulers' changes for a moment must not stop dispatch: report, go on.
          this.#roundStore = "failed";
          this.#onEvent({ type: "error", error });
        }
      }
      return this.#dispatchDue();
    });
  }

  /** Takes in the changes other schedulers made to the store's jobs since the last look. */
  sync(): Promise<void> {
    return this.#serial(() => this.#sync());
  }

  async #sync(): Promise<void> {
    this.#nextSyncAt = this.#clock.now() + this.#syncMs;
    const db = this.#store.db;
    const latest = await revisions.current(db);
    if (latest === this.#seenRevision) return;
    const events: SchedulerEvent[] = [];
    for (const stored of await jobsRepository.changedSince(db, this.#seenRevision, this.#readJob)) {
      const name = stored.definition.name;
      const held = this.#jobs.get(name);
      if (held !== undefined && sameDefinition(held.definition, stored.definition) && held.state === stored.state && held.anchor === stored.anchor) continue;
      this.#remember(stored);
      if (held === undefined) events.push({ type: "scheduled", job: name, nextDue: stored.nextDue });
      else if (held.state !== "paused" && stored.state === "paused") events.push({ type: "paused", job: name });
      else if (held.state === "paused" && stored.state !== "paused") events.push({ type: "resumed", job: name, nextDue: stored.nextDue });
      else events.push({ type: "updated", job: name, nextDue: stored.nextDue });
    }
    // Deletions leave no row to read: compare the names, only when the count says some went.
    if ((await jobsRepository.count(db)) < this.#jobs.size) {
      const kept = new Set(await jobsRepository.names(db));
      for (const name of [...this.#jobs.keys()]) {
        if (kept.has(name)) continue;
        this.#forget(name);
        events.push({ type: "deleted", job: name });
      }
    }
    this.#seenRevision = latest;
    for (const event of events) this.#onEvent(event);
  }

  /** Resolves when every step and change started so far has finished. */
  async settled(): Promise<void> {
    let tail;
    do {
      tail = this.#queueTail;
      await tail;
    } while (tail !== this.#queueTail);
  }

  /** Starts the loop: one timer, armed for the earliest due job. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#onEvent({ type: "started", jobs: this.#jobs.size });
    this.#arm(0);
  }

  /** Stops the loop after the step in progress; resolves when it has finished. */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer !== null) this.#clock.clearTimer(this.#timer);
    this.#timer = null;
    await this.#queueTail.catch(() => undefined);
  }

  async #dispatchDue(): Promise<number> {
    // Lateness against the grace is judged at the round's start: a herd of jobs due at once takes
    // several batches, and the last ones must not turn into catch-ups (or skips) for having waited.
    const roundStart = this.#clock.now();
    // The round takes what is due by its start: under a steady stream of due jobs a moving horizon
    // would keep it going forever, and stop(), sync() and every change queued behind it would wait.
    const horizon = roundStart + this.#lookaheadMs;
    for (;;) {
      const batch: { job: LiveJob; item: DispatchItem }[] = [];
      while (batch.length < this.#batchSize) {
        this.#dropStale();
        const top = this.#heap.peek();
        if (top === undefined || top.due > horizon) break;
        this.#heap.pop();
        const job = this.#jobs.get(top.name);
        if (job === undefined || job.nextDue === null) continue;
        const plan = planDue(
          { trigger: job.trigger, anchor: job.anchor, nextDue: job.nextDue, missed: job.definition.missed, maxCatchup: job.definition.maxCatchup },
          horizon,
          this.#graceMs,
          roundStart,
        );
        if (plan.unlisted > 0) this.#onEvent({ type: "missed-unlisted", job: job.definition.name, count: plan.unlisted });
        batch.push({
          job,
          item: {
            definition: job.definition,
            origin: "schedule",
            occurrences: plan.occurrences,
            after: { state: stateFor(plan.nextDue), nextDue: plan.nextDue },
          },
        });
      }
      if (batch.length === 0) break;
      let written;
      // Dispatched when the write that commits runs: a store that answers late (PostgreSQL restarting,
      // another process holding SQLite's lock) makes the occurrences late, and the ledger says so.
      let now = this.#clock.now();
      try {
        written = await this.#store.write((tx) => {
          now = this.#clock.now();
          return writeDispatch(tx, this.#queue, batch.map((entry) => entry.item), now, this.#higherPriority.names);
        });
      } catch (error) {
        // Nothing was committed: put the jobs back as they were, to be tried again.
        for (const { job } of batch) if (job.nextDue !== null) this.#heap.push(job.nextDue, job.definition.name, job.version);
        throw error;
      }
      this.#queue.committed?.();
      if (this.#roundStore === "untouched") this.#roundStore = "answered";
      for (const { job, item } of batch) {
        job.nextDue = item.after?.nextDue ?? null;
        job.state = item.after?.state ?? job.state;
        job.version++;
        if (job.state === "running" && job.nextDue !== null) this.#heap.push(job.nextDue, job.definition.name, job.version);
      }
      for (const occurrence of written) {
        this.#onEvent(
          occurrence.outcome === "missed"
            ? { type: "missed", job: occurrence.jobName, dueAt: occurrence.dueAt, occurrenceId: occurrence.id }
            : { type: "dispatched", job: occurrence.jobName, dueAt: occurrence.dueAt, lateness: latenessOf(occurrence.dueAt, now), occurrenceId: occurrence.id, catchUp: occurrence.outcome === "catch-up" },
        );
      }
      for (const { job } of batch) if (job.state === "done") this.#onEvent({ type: "done", job: job.definition.name });
    }
    return this.#sleepMs();
  }

  /** How long until the next round: the earliest due instant, less the lookahead. */
  #sleepMs(): number {
    const next = this.nextDue();
    return next === null ? Infinity : Math.max(0, next - this.#lookaheadMs - this.#clock.now());
  }

  #arm(ms: number): void {
    if (!this.#running) return;
    if (this.#timer !== null) this.#clock.clearTimer(this.#timer);
    const wait = Math.min(ms, this.#maxSleepMs, Math.max(0, this.#nextSyncAt - this.#clock.now()));
    this.#timer = this.#clock.setTimer(() => {
      this.#timer = null;
      this.tick().then(
        (sleep) => {
          if (this.#roundStore === "failed") this.#failing = true;
          // A round that did not need the store (nothing due, no sync yet) cannot tell that it is back.
          else if (this.#failing && this.#roundStore === "answered") {
            this.#failing = false;
            this.#onEvent({ type: "recovered", what: `The store ${this.#store.location}` });
          }
          this.#arm(sleep);
        },
        (error: unknown) => {
          this.#failing = true;
          this.#onEvent({ type: "error", error });
          this.#arm(1000); // the store may come back: try again shortly
        },
      );
    }, wait);
  }

  /** After a change, the earliest due job may be another one: re-arm the timer for it. */
  #rearm(): void {
    if (!this.#running) return;
    this.#arm(this.#sleepMs());
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#queueTail.then(work, work);
    this.#queueTail = result.catch(() => undefined);
    return result;
  }

  #remember(stored: StoredJob, trigger?: Trigger): void {
    const previous = this.#jobs.get(stored.definition.name);
    if (previous !== undefined) this.#higherPriority.remove(previous.definition);
    this.#higherPriority.add(stored.definition);
    const job: LiveJob = {
      definition: stored.definition,
      trigger: trigger ?? this.#triggerFor(stored.definition),
      source: stored.source,
      state: stored.state,
      anchor: stored.anchor,
      nextDue: stored.nextDue,
      version: (previous?.version ?? 0) + 1,
    };
    this.#jobs.set(stored.definition.name, job);
    if (job.state === "running" && job.nextDue !== null) this.#heap.push(job.nextDue, stored.definition.name, job.version);
  }

  #triggerFor(definition: JobDefinition): Trigger {
    const key = `${definition.timezone}\u0000${definition.timing}`;
    let trigger = this.#triggers.get(key);
    if (trigger === undefined) {
      trigger = parseTiming(definition.timing, definition.timezone);
      this.#triggers.set(key, trigger);
    }
    return trigger;
  }

  #forget(name: string): void {
    const job = this.#jobs.get(name);
    if (job !== undefined) this.#higherPriority.remove(job.definition);
    this.#jobs.delete(name);
  }

  #dropStale(): void {
    for (let top = this.#heap.peek(); top !== undefined; top = this.#heap.peek()) {
      const job = this.#jobs.get(top.name);
      if (job !== undefined && job.version === top.version && job.state === "running" && job.nextDue === top.due) return;
      this.#heap.pop();
    }
  }

  #get(name: string): LiveJob {
    const job = this.#jobs.get(name);
    if (job === undefined) throw new JobNotFoundError(name);
    return job;
  }

  async #find(name: string): Promise<StoredJob> {
    const stored = await jobsRepository.find(this.#store.db, name, this.#readJob);
    if (stored === undefined) throw new JobNotFoundError(name);
    return stored;
  }
}

function stateFor(nextDue: Instant | null): JobState {
  return nextDue === null ? "done" : "running";
}

function sameDefinition(a: JobDefinition, b: JobDefinition): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Where a job that is in the way came from, and what to do about it, for DuplicateJobError. */
function declaredBy(source: string): string {
  const file = fileOf(source);
  if (file === null) return `declared by ${source === "api" ? "the API" : source}: delete it there first, or rename one of the two`;
  return `declared by the schedule file ${file}: rename one of the two, or remove it from that file and run that file once`;
}
