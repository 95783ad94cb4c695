import { afterEach, describe, expect, it } from "vitest";
import { apiHarness, newJob, type ApiHarness } from "./support.ts";

let harness: ApiHarness;
afterEach(async () => {
  await harness.cleanup();
});

async function jobs(h: ApiHarness, specs: readonly (readonly [string, readonly string[]])[]): Promise<void> {
  for (const [name, tags] of specs) {
    const response = await h.request("POST", "/api/jobs", newJob(h.module, { name, tags, timing: "every 1 minute" }));
    expect(response.statusCode).toBe(201);
  }
}

const states = async (h: ApiHarness): Promise<Record<string, string>> =>
  Object.fromEntries((await h.orchestra.getJobs()).map((job) => [job.name, job.state]));

describe("PUT /api/jobs/{name}/pause and /resume", () => {
  it("pause: 200 with the state, changed the first time only (the seed answered 500 the second time)", async () => {
    harness = await apiHarness();
    await jobs(harness, [["x", []]]);
    const first = await harness.request("PUT", "/api/jobs/x/pause");
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ name: "x", state: "Paused", changed: true });
    const second = await harness.request("PUT", "/api/jobs/x/pause");
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual({ name: "x", state: "Paused", changed: false });
    expect(await states(harness)).toEqual({ x: "Paused" });
    expect(harness.events.filter((event) => event.type === "paused")).toEqual([{ type: "paused", job: "x" }]);
  });

  it("resume: 200, from now on (no burst of what was missed while paused); resuming a running job changes nothing", async () => {
    harness = await apiHarness();
    await jobs(harness, [["x", []]]);
    const running = await harness.request("PUT", "/api/jobs/x/resume");
    expect(running.json()).toEqual({ name: "x", state: "Running", changed: false });
    await harness.request("PUT", "/api/jobs/x/pause");
    harness.clock.advance(10 * 60_000);
    const resumed = await harness.request("PUT", "/api/jobs/x/resume");
    expect(resumed.statusCode).toBe(200);
    expect(resumed.json()).toEqual({ name: "x", state: "Running", changed: true });
    const job = await harness.request("GET", "/api/jobs/x");
    expect(job.json()).toMatchObject({ state: "Running", dueInSeconds: 60, attempts: 0 });
  });

  it("unknown jobs are 404s", async () => {
    harness = await apiHarness();
    for (const [method, url] of [
      ["PUT", "/api/jobs/nope/pause"],
      ["PUT", "/api/jobs/nope/resume"],
      ["POST", "/api/jobs/nope/trigger"],
    ] as const) {
      const response = await harness.request(method, url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json(), url).toMatchObject({ error: "ERR_JOB_NOT_FOUND" });
    }
  });
});

describe("POST /api/jobs/{name}/trigger", () => {
  it("202: an occurrence is queued now, outside the schedule, also for a paused job", async () => {
    harness = await apiHarness();
    await jobs(harness, [["x", []]]);
    await harness.request("PUT", "/api/jobs/x/pause");
    const response = await harness.request("POST", "/api/jobs/x/trigger");
    expect(response.statusCode).toBe(202);
    const { occurrenceId } = response.json<{ occurrenceId: number }>();
    expect(response.json()).toEqual({ name: "x", occurrenceId: expect.any(Number) as unknown });
    const runs = await harness.orchestra.getRuns("x");
    expect(runs.map((run) => [run.occurrence_id, run.status])).toEqual([[occurrenceId, "pending"]]);
    expect(await states(harness)).toEqual({ x: "Paused" });
  });

  it("accepts an empty body sent as JSON", async () => {
    harness = await apiHarness();
    await jobs(harness, [["x", []]]);
    const response = await harness.request("POST", "/api/jobs/x/trigger", "", { "content-type": "application/json" });
    expect(response.statusCode).toBe(202);
  });
});

describe("actions on every job with some tags (tags and anyTag in the query string)", () => {
  const specs = [
    ["a", ["gpu", "latency"]],
    ["b", ["gpu"]],
    ["c", ["cpu"]],
  ] as const;

  it("pause and resume: all the tags by default, any of them with anyTag=true; per-job results", async () => {
    harness = await apiHarness();
    await jobs(harness, specs);
    const all = await harness.request("POST", "/api/jobs/pause?tags=gpu&tags=latency");
    expect(all.statusCode).toBe(200);
    expect(all.json()).toEqual({ jobs: [{ name: "a", state: "Paused", changed: true }] });
    const any = await harness.request("POST", "/api/jobs/pause?tags=gpu,cpu&anyTag=true");
    expect(any.json()).toEqual({
      jobs: [
        { name: "a", state: "Paused", changed: false },
        { name: "b", state: "Paused", changed: true },
        { name: "c", state: "Paused", changed: true },
      ],
    });
    expect(await states(harness)).toEqual({ a: "Paused", b: "Paused", c: "Paused" });
    const resumed = await harness.request("POST", "/api/jobs/resume?tags=gpu");
    expect(resumed.json()).toEqual({
      jobs: [
        { name: "a", state: "Running", changed: true },
        { name: "b", state: "Running", changed: true },
      ],
    });
    expect(await states(harness)).toEqual({ a: "Running", b: "Running", c: "Paused" });
  });

  it("trigger: 202 with each job's occurrence", async () => {
    harness = await apiHarness();
    await jobs(harness, specs);
    const response = await harness.request("POST", "/api/jobs/trigger?tags=gpu");
    expect(response.statusCode).toBe(202);
    const triggered = response.json<{ jobs: { name: string; occurrenceId: number }[] }>().jobs;
    expect(triggered.map((job) => job.name)).toEqual(["a", "b"]);
    for (const { name, occurrenceId } of triggered) {
      expect((await harness.orchestra.getRuns(name)).map((run) => run.occurrence_id)).toEqual([occurrenceId]);
    }
    expect(await harness.orchestra.getRuns("c")).toEqual([]);
  });

  it("delete: 200 with the names deleted; the others stay", async () => {
    harness = await apiHarness();
    await jobs(harness, specs);
    const response = await harness.request("DELETE", "/api/jobs?tags=latency,cpu&anyTag=true");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ deleted: ["a", "c"] });
    expect(await states(harness)).toEqual({ b: "Running" });
  });

  it("a job deleted while an action on its tags runs is left out of the answer: the others were acted on, no 404", async () => {
    harness = await apiHarness();
    await jobs(harness, [
      ["kept", ["race"]],
      ["doomed", ["race"]],
    ]);
    for (const [method, url, expected] of [
      ["POST", "/api/jobs/pause?tags=race", { jobs: [{ name: "kept", state: "Paused", changed: true }] }],
      ["POST", "/api/jobs/resume?tags=race", { jobs: [{ name: "kept", state: "Running", changed: true }] }],
      ["POST", "/api/jobs/trigger?tags=race", { jobs: [{ name: "kept", occurrenceId: expect.any(Number) as unknown }] }],
      ["DELETE", "/api/jobs?tags=race", { deleted: ["kept"] }],
    ] as const) {
      if ((await harness.orchestra.getJobs()).length < 2) await jobs(harness, [["doomed", ["race"]]]);
      // Both requests pick their jobs at once; the delete of "doomed" is done first.
      const [deleted, response] = await Promise.all([harness.request("DELETE", "/api/jobs/doomed"), harness.request(method, url)]);
      expect(deleted.statusCode, url).toBe(204);
      expect(response.statusCode, url).toBe(method === "POST" && url.includes("trigger") ? 202 : 200);
      expect(response.json(), url).toEqual(expected);
    }
  });

  it("no tag matches: 200 with nothing done", async () => {
    harness = await apiHarness();
    await jobs(harness, specs);
    expect((await harness.request("POST", "/api/jobs/pause?tags=nope")).json()).toEqual({ jobs: [] });
    expect((await harness.request("DELETE", "/api/jobs?tags=nope")).json()).toEqual({ deleted: [] });
    expect(Object.keys(await states(harness))).toHaveLength(3);
  });

  it("without a tag it is a 400: an empty selector never means every job", async () => {
    harness = await apiHarness();
    await jobs(harness, specs);
    for (const [method, url] of [
      ["DELETE", "/api/jobs"],
      ["DELETE", "/api/jobs?tags="],
      ["DELETE", "/api/jobs?tags=,"],
      ["POST", "/api/jobs/pause?anyTag=true"],
      ["POST", "/api/jobs/resume"],
      ["POST", "/api/jobs/trigger"],
    ] as const) {
      const response = await harness.request(method, url);
      expect(response.statusCode, `${method} ${url}`).toBe(400);
      expect(response.json(), `${method} ${url}`).toMatchObject({ error: "ERR_VALIDATION", details: [{ in: "querystring", field: expect.stringMatching(/^tags/) as unknown }] });
    }
    expect(Object.keys(await states(harness))).toHaveLength(3);
  });
});
