import Database from "better-sqlite3";
import { PassThrough } from "node:stream";
import type { WriteStream } from "node:tty";
import { afterEach, describe, expect, it } from "vitest";
import { ApiMetrics } from "../../src/api/metrics.ts";
import { LiveView } from "../../src/index.ts";
import { apiHarness, newJob, type ApiHarness } from "./support.ts";

let harness: ApiHarness;
afterEach(async () => {
  await harness.cleanup();
});

/** Runs SQL on the store file through a connection of its own, as another process would. */
function onTheFile(h: ApiHarness, statement: string): void {
  const db = new Database(h.db);
  try {
    db.exec(statement);
  } finally {
    db.close();
  }
}

describe("GET /api/tags", () => {
  it("the tags in use, by name, with how many jobs carry each", async () => {
    harness = await apiHarness();
    expect((await harness.request("GET", "/api/tags")).json()).toEqual({ tags: [] });
    await harness.request("POST", "/api/jobs", newJob(harness.module, { name: "a", tags: ["report", "cpu"] }));
    await harness.request("POST", "/api/jobs", newJob(harness.module, { name: "b", tags: ["cpu"] }));
    await harness.request("POST", "/api/jobs", newJob(harness.module, { name: "c" }));
    const response = await harness.request("GET", "/api/tags");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      tags: [
        { tag: "cpu", jobs: 2 },
        { tag: "report", jobs: 1 },
      ],
    });
  });
});

describe("GET /api/health", () => {
  it("200 when the store and the broker answer", async () => {
    harness = await apiHarness();
    const response = await harness.request("GET", "/api/health");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok", store: { ok: true }, broker: { ok: true } });
  });

  it("503 with the reason when the broker's queue cannot be read", async () => {
    harness = await apiHarness();
    onTheFile(harness, "DROP TABLE queue_messages");
    const response = await harness.request("GET", "/api/health");
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: "unavailable", store: { ok: true }, broker: { ok: false, error: "no such table: queue_messages" } });
  });

  it("503 when the store's tables cannot be read", async () => {
    harness = await apiHarness();
    onTheFile(harness, "DROP TABLE jobs");
    const response = await harness.request("GET", "/api/health");
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: "unavailable", store: { ok: false, error: "no such table: jobs" }, broker: { ok: true } });
  });
});

describe("GET /metrics", () => {
  it("Prometheus text: jobs by state, dispatches, successes, failures and the lateness histogram", async () => {
    harness = await apiHarness();
    await harness.request("POST", "/api/jobs", newJob(harness.module, { name: "a", timing: "every 10 seconds" }));
    await harness.request("POST", "/api/jobs", newJob(harness.module, { name: "b" }));
    await harness.request("PUT", "/api/jobs/b/pause");
    await harness.request("POST", "/api/jobs/b/trigger");
    harness.orchestra.run().catch(() => undefined); // the scheduler's timer runs on the manual clock
    await new Promise((resolve) => setImmediate(resolve));
    harness.clock.advance(10_005); // "a" falls due, 5 ms late
    await waitFor(() => harness.events.some((event) => event.type === "dispatched"));
    const response = await harness.request("GET", "/metrics");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.body;
    expect(text).toContain('orchestra_jobs{state="running"} 1');
    expect(text).toContain('orchestra_jobs{state="paused"} 1');
    expect(text).toContain('orchestra_jobs{state="done"} 0');
    expect(text).toContain('orchestra_dispatches_total{origin="schedule"} 1');
    expect(text).toContain('orchestra_dispatches_total{origin="manual"} 1');
    expect(text).toContain('orchestra_dispatches_total{origin="catch-up"} 0');
    expect(text).toContain("orchestra_run_successes_total 0");
    expect(text).toContain("orchestra_run_failures_total 0");
    expect(text).toContain("orchestra_run_duration_seconds_count 0");
    expect(text).toContain('orchestra_dispatch_lateness_seconds_bucket{le="0.001"} 0');
    expect(text).toContain('orchestra_dispatch_lateness_seconds_bucket{le="0.005"} 1');
    expect(text).toContain("orchestra_dispatch_lateness_seconds_count 1");
    expect(text).toContain("# TYPE orchestra_dispatch_lateness_seconds histogram");
  });
});

describe("the metrics of a process without a worker (orchestra run --no-worker)", () => {
  it("leave the run series out, rather than say 0 while workers elsewhere run the tasks", async () => {
    const counts = { Running: 1, Paused: 0, Done: 0 };
    const scheduling = new ApiMetrics({ worker: false });
    scheduling.record({ type: "run-succeeded", job: "j", runId: 1, durationMs: 3 });
    const text = await scheduling.render(counts);
    expect(text).toContain('orchestra_dispatches_total{origin="schedule"} 0');
    expect(text).not.toContain("orchestra_run_");
    const withWorker = new ApiMetrics();
    withWorker.record({ type: "run-succeeded", job: "j", runId: 1, durationMs: 3 });
    expect(await withWorker.render(counts)).toContain("orchestra_run_successes_total 1");
  });
});

describe("errors", () => {
  it("an unknown route is a JSON 404", async () => {
    harness = await apiHarness();
    const response = await harness.request("GET", "/api/nothing?x=1");
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: "ERR_ROUTE_NOT_FOUND", message: "no route GET /api/nothing; see /docs" });
  });

  it("a path that exists, asked with another method, is a 405 naming the methods it takes (and Allow says them)", async () => {
    harness = await apiHarness();
    const pause = await harness.request("POST", "/api/jobs/x/pause");
    expect(pause.statusCode).toBe(405);
    expect(pause.headers.allow).toBe("PUT");
    expect(pause.json()).toEqual({
      error: "ERR_METHOD_NOT_ALLOWED",
      message: "POST is not allowed on /api/jobs/x/pause; use PUT (see /docs)",
      details: { allowed: ["PUT"] },
    });
    const job = await harness.request("PATCH", "/api/jobs/x?y=1");
    expect(job.statusCode).toBe(405);
    expect(job.headers.allow).toBe("DELETE, GET, HEAD");
    expect(job.json()).toMatchObject({ message: "PATCH is not allowed on /api/jobs/x; use DELETE or GET (see /docs)" });
    // One segment per parameter: a deeper path is still not found.
    expect((await harness.request("PUT", "/api/jobs/x/y/pause")).statusCode).toBe(404);
  });

  it("an unexpected failure is a 500 that tells nothing of it; the failure is reported to the log", async () => {
    harness = await apiHarness();
    onTheFile(harness, "DROP TABLE jobs");
    const response = await harness.request("GET", "/api/jobs");
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: "ERR_INTERNAL", message: "internal error: the server's log has the details" });
    expect(response.body).not.toMatch(/jobs|sqlite|at /i);
    expect(harness.errors).toHaveLength(1);
    expect(String(harness.errors[0])).toContain("no such table: jobs");
  });

  it("no bad input gets a 500", async () => {
    harness = await apiHarness();
    await harness.request("POST", "/api/jobs", newJob(harness.module, { tags: ["a"] }));
    const json = { "content-type": "application/json" };
    const attempts: [string, string, unknown, Record<string, string>?][] = [
      ["POST", "/api/jobs", { ...newJob(harness.module), name: "x".repeat(201) }],
      ["POST", "/api/jobs", { ...newJob(harness.module), name: "tab\there" }],
      ["POST", "/api/jobs", { ...newJob(harness.module), name: "n2", timing: "" }],
      ["POST", "/api/jobs", { ...newJob(harness.module), name: "n3", timing: "every 0 seconds" }],
      ["POST", "/api/jobs", { ...newJob(harness.module), name: "n4", timing: "61 * * * *" }],
      ["POST", "/api/jobs", { ...newJob(harness.module), name: "n5", timing: "2023-02-30 09:00" }],
      ["POST", "/api/jobs", { ...newJob(harness.module), name: "n6", timezone: "Mars/Olympus" }],
      ["POST", "/api/jobs", { ...newJob(harness.module), name: "n7", module: "no-such-package-xyz" }],
      ["POST", "/api/jobs", { ...newJob(harness.module), name: "n8", tags: ["a", "a"] }],
      ["POST", "/api/jobs", { ...newJob(harness.module), name: "n9", options: { args: "x" } }],
      ["POST", "/api/jobs", { ...newJob(harness.module), name: "n10", options: { kwargs: [1] } }],
      ["POST", "/api/jobs", { ...newJob(harness.module), name: "n11", maxCatchup: 0, missed: "all" }],
      ["POST", "/api/jobs", { ...newJob(harness.module), name: "n12", options: { countdown: -1, retries: 1.5, timeout: 0 } }],
      ["POST", "/api/jobs", '{"__proto__": {"x": 1}}', json],
      ["POST", "/api/jobs", "x".repeat(2 * 1024 * 1024), json],
      ["GET", "/api/jobs?tags=", undefined],
      ["GET", "/api/jobs/%E0%A4%A", undefined],
      ["GET", "/api/jobs/nightly/runs?status=", undefined],
      ["GET", "/api/jobs/nightly/runs/99999999999999999999", undefined],
      ["PUT", "/api/jobs/nightly/pause", "{", json],
      ["POST", "/api/jobs/trigger?tags=a&anyTag=", undefined],
    ];
    for (const [method, url, body, headers] of attempts) {
      const response = await harness.request(method as "GET", url, body, headers ?? {});
      const label = `${method} ${url} ${body === undefined ? "" : JSON.stringify(body).slice(0, 80)}`;
      expect(response.statusCode, label).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, label).toBeLessThan(500);
      expect(response.json(), label).toMatchObject({ error: expect.stringMatching(/^ERR_/) as unknown, message: expect.any(String) as unknown });
    }
    expect(harness.errors).toEqual([]);
    expect((await harness.orchestra.getJobs()).map((job) => job.name)).toEqual(["nightly"]);
  });
});

describe("the documentation", () => {
  it("the OpenAPI 3 document lists every route, from the routes' own schemas", async () => {
    harness = await apiHarness();
    const response = await harness.request("GET", "/openapi.json");
    expect(response.statusCode).toBe(200);
    const document = response.json<{ openapi: string; paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown }>> }>();
    expect(document.openapi).toMatch(/^3\./);
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(
      [
        "GET /api/jobs",
        "POST /api/jobs",
        "DELETE /api/jobs",
        "POST /api/jobs/pause",
        "POST /api/jobs/resume",
        "POST /api/jobs/trigger",
        "GET /api/jobs/{name}",
        "DELETE /api/jobs/{name}",
        "PUT /api/jobs/{name}/pause",
        "PUT /api/jobs/{name}/resume",
        "POST /api/jobs/{name}/trigger",
        "GET /api/jobs/{name}/runs",
        "GET /api/jobs/{name}/runs/{id}",
        "GET /api/tags",
        "GET /api/health",
        "GET /metrics",
      ].sort(),
    );
    const list = document.paths["/api/jobs"]?.get;
    expect(list?.parameters?.map((parameter) => `${parameter.in}:${parameter.name}`)).toEqual(["query:tags", "query:anyTag", "query:state", "query:name"]);
    expect(document.paths["/api/jobs"]?.post?.requestBody).toMatchObject({ content: { "application/json": { schema: { required: ["name", "module", "task", "timing"] } } } });
  });

  it("Swagger UI is served at /docs", async () => {
    harness = await apiHarness();
    const response = await harness.request("GET", "/docs/");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/html/);
    expect(response.body).toContain("swagger-ui");
  });
});

describe("the live table", () => {
  it("shows what the API changes at once, without waiting for its next read of the store", async () => {
    harness = await apiHarness();
    let screen = "";
    const stream = Object.assign(new PassThrough(), { columns: 200, rows: 20, isTTY: true });
    stream.on("data", (chunk: Buffer) => {
      screen += chunk.toString();
    });
    const view = new LiveView({ source: harness.orchestra, stream: stream as unknown as WriteStream, colors: false, runsFromStore: false, onError: () => undefined });
    harness.listen((event) => {
      view.record(event);
    });
    view.start();
    try {
      await harness.request("POST", "/api/jobs", newJob(harness.module, { name: "from-the-api" }));
      await waitFor(() => /Running\s+DAILY\s+from-the-api/.test(screen), 800);
      await harness.request("PUT", "/api/jobs/from-the-api/pause");
      // The table re-reads the store every second; an event makes it read within 50 ms.
      await waitFor(() => /Paused\s+DAILY\s+from-the-api/.test(screen), 800);
    } finally {
      await view.stop();
    }
  });
});

describe("the live table on a terminal that reports no size (0 × 0: a pseudo-terminal opened without one)", () => {
  it("is drawn as on an 80 × 24 one, not cut away to nothing", async () => {
    harness = await apiHarness();
    await harness.request("POST", "/api/jobs", newJob(harness.module, { name: "sized" }));
    let screen = "";
    const stream = Object.assign(new PassThrough(), { columns: 0, rows: 0, isTTY: true });
    stream.on("data", (chunk: Buffer) => {
      screen += chunk.toString();
    });
    const view = new LiveView({ source: harness.orchestra, stream: stream as unknown as WriteStream, colors: false, runsFromStore: false, onError: () => undefined });
    view.start();
    try {
      await waitFor(() => screen.includes("Orchestrating jobs") && /Running\s+DAILY\s+sized/.test(screen), 2_000);
    } finally {
      await view.stop();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
