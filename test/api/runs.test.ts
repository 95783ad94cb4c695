import { afterEach, describe, expect, it } from "vitest";
import { runsRepository } from "../../src/store/runs.ts";
import { openSqliteStore } from "../../src/store/sqlite/open.ts";
import { apiHarness, newJob, T0, type ApiHarness } from "./support.ts";

let harness: ApiHarness;
afterEach(async () => {
  await harness.cleanup();
});

/** Five triggered runs of "t"; the newest two then run, as a worker would record them: one succeeds, one fails. */
async function history(h: ApiHarness): Promise<number[]> {
  expect((await h.request("POST", "/api/jobs", newJob(h.module, { name: "t" }))).statusCode).toBe(201);
  expect((await h.request("POST", "/api/jobs", newJob(h.module, { name: "other" }))).statusCode).toBe(201);
  for (let i = 0; i < 5; i++) {
    h.clock.advance(1000);
    await h.orchestra.triggerJob("t");
  }
  await h.orchestra.triggerJob("other");
  const ids = (await h.orchestra.getRuns("t")).map((run) => run.id);
  const [newest, second] = ids;
  if (newest === undefined || second === undefined) throw new Error("no runs");
  // A worker is another connection to the same file: write its records the way it does.
  const worker = await openSqliteStore(h.db);
  try {
    const occurrences = (await h.orchestra.getRuns("t")).slice(0, 2).map((run) => run.occurrence_id);
    const [a, b] = await runsRepository.start(
      worker.db,
      occurrences.map((occurrenceId) => ({ occurrenceId, jobName: "t", attempt: 1, queue: "default" })),
      "worker-1",
      T0 + 10_000,
    );
    await runsRepository.finish(
      worker.db,
      [
        { runId: a ?? -1, jobName: "t", status: "success", result: JSON.stringify({ rows: 3 }), error: null, errorStack: null },
        { runId: b ?? -1, jobName: "t", status: "failure", result: null, error: "Error: boom", errorStack: "Error: boom\n    at fail (tasks.mjs:3:30)" },
      ],
      T0 + 10_250,
    );
  } finally {
    await worker.close();
  }
  return ids;
}

describe("GET /api/jobs/{name}/runs", () => {
  it("pages newest first, with the total", async () => {
    harness = await apiHarness();
    const ids = await history(harness);
    const first = await harness.request("GET", "/api/jobs/t/runs?page=1&pageSize=2");
    expect(first.statusCode).toBe(200);
    const body = first.json<{ job: string; page: number; pageSize: number; total: number; runs: { id: number }[] }>();
    expect({ ...body, runs: body.runs.map((run) => run.id) }).toEqual({ job: "t", page: 1, pageSize: 2, total: 5, runs: ids.slice(0, 2) });
    const third = await harness.request("GET", "/api/jobs/t/runs?page=3&pageSize=2");
    expect(third.json<{ runs: { id: number }[] }>().runs.map((run) => run.id)).toEqual(ids.slice(4));
    const beyond = await harness.request("GET", "/api/jobs/t/runs?page=9");
    expect(beyond.json()).toMatchObject({ total: 5, runs: [] });
  });

  it("shows each run's status, times, result and error", async () => {
    harness = await apiHarness();
    await history(harness);
    const response = await harness.request("GET", "/api/jobs/t/runs?pageSize=3");
    const [success, failure, pending] = response.json<{ runs: Record<string, unknown>[] }>().runs;
    expect(success).toMatchObject({
      job: "t",
      attempt: 1,
      status: "success",
      queue: "default",
      workerId: "worker-1",
      startedAt: "2024-03-04T08:00:10.000Z",
      finishedAt: "2024-03-04T08:00:10.250Z",
      durationMs: 250,
      result: { rows: 3 },
      error: null,
    });
    expect(failure).toMatchObject({ status: "failure", result: null, error: "Error: boom" });
    expect(failure).not.toHaveProperty("errorStack");
    expect(pending).toMatchObject({ status: "pending", startedAt: null, finishedAt: null, durationMs: null, enqueuedAt: "2024-03-04T08:00:03.000Z" });
  });

  it("filters by status; an unknown status is a 400 (the seed answered 500)", async () => {
    harness = await apiHarness();
    await history(harness);
    const failures = await harness.request("GET", "/api/jobs/t/runs?status=failure");
    expect(failures.json()).toMatchObject({ total: 1, runs: [{ status: "failure" }] });
    const pending = await harness.request("GET", "/api/jobs/t/runs?status=pending");
    expect(pending.json()).toMatchObject({ total: 3 });
    const bogus = await harness.request("GET", "/api/jobs/t/runs?status=exploded");
    expect(bogus.statusCode).toBe(400);
    expect(bogus.json()).toEqual({
      error: "ERR_VALIDATION",
      message: "invalid request: querystring.status: must be one of: pending, started, success, failure, retry, expired, missed",
      details: [{ in: "querystring", field: "status", message: "must be one of: pending, started, success, failure, retry, expired, missed" }],
    });
  });

  it("refuses bad paging with a 400, and answers 404 for an unknown job", async () => {
    harness = await apiHarness();
    await history(harness);
    for (const query of ["page=0", "page=two", "pageSize=0", "pageSize=501", "page=1.5"]) {
      expect((await harness.request("GET", `/api/jobs/t/runs?${query}`)).statusCode, query).toBe(400);
    }
    const missing = await harness.request("GET", "/api/jobs/nope/runs");
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: "ERR_JOB_NOT_FOUND" });
  });

  it("a page beyond 1000000000 is a 400 (page × pageSize must stay a number the stores can offset by), never a 500", async () => {
    harness = await apiHarness();
    await history(harness);
    for (const query of ["page=100000000000000000000", "page=461168601842738790&pageSize=500", "page=1000000001"]) {
      const response = await harness.request("GET", `/api/jobs/t/runs?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json(), query).toMatchObject({ error: "ERR_VALIDATION", details: [{ in: "querystring", field: "page", message: "must be at most 1000000000" }] });
    }
    expect((await harness.request("GET", "/api/jobs/t/runs?page=1000000000&pageSize=500")).json()).toMatchObject({ total: 5, runs: [] });
    expect(harness.errors).toEqual([]);
  });
});

describe("GET /api/jobs/{name}/runs/{id}", () => {
  it("one run, with the error's stack", async () => {
    harness = await apiHarness();
    const [, failedId] = await history(harness);
    const response = await harness.request("GET", `/api/jobs/t/runs/${failedId ?? 0}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: failedId, status: "failure", error: "Error: boom", errorStack: "Error: boom\n    at fail (tasks.mjs:3:30)" });
  });

  it("404 for an unknown run, another job's run or an unknown job; 400 for an id that is not one", async () => {
    harness = await apiHarness();
    await history(harness);
    const [otherRun] = await harness.orchestra.getRuns("other");
    const unknown = await harness.request("GET", "/api/jobs/t/runs/999");
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: "ERR_RUN_NOT_FOUND", message: 'job "t" has no run 999', details: { job: "t", run: 999 } });
    expect((await harness.request("GET", `/api/jobs/t/runs/${otherRun?.id ?? 0}`)).statusCode).toBe(404);
    expect((await harness.request("GET", "/api/jobs/nope/runs/1")).json()).toMatchObject({ error: "ERR_JOB_NOT_FOUND" });
    for (const id of ["abc", "0", "-1", "1.5", "9223372036854775807", "9007199254740992"]) {
      expect((await harness.request("GET", `/api/jobs/t/runs/${id}`)).statusCode, id).toBe(400);
    }
    expect((await harness.request("GET", "/api/jobs/t/runs/9007199254740991")).statusCode).toBe(404);
    expect(harness.errors).toEqual([]);
  });
});
