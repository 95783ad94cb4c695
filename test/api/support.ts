import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ApiMetrics, createApiApp, ManualClock, Orchestra, type OrchestraEvent } from "../../src/index.ts";
import { tempDir } from "../support/store.ts";
import { at } from "../support/time.ts";

/** A Monday morning. */
export const T0 = at("2024-03-04T08:00:00Z");

export const TASKS = [
  "export function work() { return { done: true }; }",
  "export function other() { return 2; }",
  "export function fail() { throw new Error('boom'); }",
].join("\n");

export interface ApiHarness {
  readonly dir: string;
  readonly db: string;
  /** The task module, absolute. */
  readonly module: string;
  readonly clock: ManualClock;
  readonly orchestra: Orchestra;
  readonly app: FastifyInstance;
  readonly events: OrchestraEvent[];
  /** Calls `listener` with every event of the orchestra from now on, as `orchestra run` does for its live table. */
  readonly listen: (listener: (event: OrchestraEvent) => void) => void;
  /** What the API reported as unexpected failures (answered 500). */
  readonly errors: unknown[];
  /** `app.inject` with the token (when there is one) and a JSON body. */
  readonly request: (method: NonNullable<InjectOptions["method"]>, url: string, body?: unknown, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
  /** Opens the same store file in a new Orchestra, as a restart would. */
  readonly reopen: () => Promise<Orchestra>;
  readonly cleanup: () => Promise<void>;
}

/**
 * The REST API over a real Orchestra on a real SQLite file in a temp dir, with a manual clock and
 * no worker; requests go through Fastify's inject (no socket).
 */
export async function apiHarness(options: { token?: string } = {}): Promise<ApiHarness> {
  const temp = tempDir("orchestra-api-");
  const module = join(temp.path, "tasks.mjs");
  writeFileSync(module, `${TASKS}\n`);
  const db = join(temp.path, "orchestra.db");
  const clock = new ManualClock(T0);
  const events: OrchestraEvent[] = [];
  const listeners: ((event: OrchestraEvent) => void)[] = [];
  const metrics = new ApiMetrics();
  const orchestra = new Orchestra({
    broker: db,
    clock,
    worker: false,
    onEvent: (event) => {
      events.push(event);
      metrics.record(event);
      for (const listener of listeners) listener(event);
    },
  });
  await orchestra.createSchedule();
  const errors: unknown[] = [];
  const app = await createApiApp({
    source: orchestra,
    token: options.token ?? null,
    metrics,
    now: () => clock.now(),
    onError: (error) => {
      errors.push(error);
    },
  });
  const opened: Orchestra[] = [orchestra];
  return {
    dir: temp.path,
    db,
    module,
    clock,
    orchestra,
    app,
    events,
    listen: (listener) => {
      listeners.push(listener);
    },
    errors,
    request: (method, url, body, headers = {}) => {
      const request: InjectOptions = {
        method,
        url,
        headers: { ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }), ...headers },
      };
      if (body !== undefined) request.payload = body as NonNullable<InjectOptions["payload"]>;
      return app.inject(request);
    },
    reopen: async () => {
      const again = new Orchestra({ broker: db, clock: new ManualClock(clock.now() + 60_000), worker: false });
      opened.push(again);
      await again.createSchedule();
      return again;
    },
    cleanup: async () => {
      await app.close();
      for (const instance of opened) await instance.stop(0);
      temp.cleanup();
    },
  };
}

/** A job creation body with sensible defaults. */
export function newJob(module: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: "nightly", module, task: "work", timing: "every day at 9:00", ...fields };
}
