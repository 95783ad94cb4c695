import { relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { apiHarness, newJob, type ApiHarness } from "./support.ts";

let harness: ApiHarness;
afterEach(async () => {
  await harness.cleanup();
});

describe("POST /api/jobs creates a job", () => {
  it("answers 201 with the job and its Location; the job is stored with source api", async () => {
    harness = await apiHarness();
    const body = newJob(harness.module, { name: "Nightly report", timing: "every day at 9:15", timezone: "Europe/Berlin", tags: ["report", "cpu"] });
    const response = await harness.request("POST", "/api/jobs", body);
    expect(response.statusCode).toBe(201);
    expect(response.headers.location).toBe("/api/jobs/Nightly%20report");
    expect(response.json()).toEqual({
      name: "Nightly report",
      state: "Running",
      kind: "DAILY",
      timing: "every day at 9:15",
      timezone: "Europe/Berlin",
      module: harness.module,
      task: "work",
      nextDue: "2024-03-04T09:15:00+01:00", // in the job's zone, with its offset
      dueIn: "0:15:00",
      dueInSeconds: 900,
      attempts: 0,
      attemptsLabel: "0/inf",
      failedAttempts: 0,
      tags: ["report", "cpu"],
      lastRun: null,
      source: "api",
      options: {},
      missed: "once",
      maxCatchup: 100,
    });
    expect(await harness.orchestra.getJob("Nightly report")).toMatchObject({ source: "api", kind: "DAILY", tags: ["report", "cpu"] });
    expect(harness.events).toContainEqual({ type: "scheduled", job: "Nightly report", nextDue: Date.parse("2024-03-04T08:15:00Z") });
  });

  it("keeps options, missed policy and catch-up limit; a ONCE job counts n/1", async () => {
    harness = await apiHarness();
    const body = newJob(harness.module, {
      name: "once",
      timing: "once in 90 seconds",
      options: { queue: "reports", priority: 5, args: [1, "two"], kwargs: { three: 3 }, countdown: 1, expires: 60, retries: 2, timeout: 30 },
      missed: "all",
      maxCatchup: 3,
    });
    const response = await harness.request("POST", "/api/jobs", body);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ kind: "ONCE", attemptsLabel: "0/1", nextDue: "2024-03-04T08:01:30+00:00", options: body.options, missed: "all", maxCatchup: 3 });
    expect((await harness.request("POST", "/api/jobs/once/trigger")).statusCode).toBe(202);
    const runs = await harness.request("GET", "/api/jobs/once/runs");
    expect(runs.json()).toMatchObject({ runs: [{ queue: "reports", status: "pending" }] });
  });

  it("resolves a relative module from the working directory and checks it loads", async () => {
    harness = await apiHarness();
    const specifier = relative(process.cwd(), harness.module);
    const response = await harness.request("POST", "/api/jobs", newJob(specifier.startsWith(".") ? specifier : `./${specifier}`));
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ module: harness.module });
  });

  it("a bad timing is a 400 that points at the word, with a suggestion", async () => {
    harness = await apiHarness();
    const response = await harness.request("POST", "/api/jobs", newJob(harness.module, { timing: "every Mondey at 3:15" }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: "ERR_TIMING",
      message: 'unknown word "Mondey" at column 7; did you mean "Monday"?',
      details: {
        field: "timing",
        expression: "every Mondey at 3:15",
        column: 7,
        word: "Mondey",
        reason: 'unknown word "Mondey"',
        suggestion: "Monday",
        pointer: "every Mondey at 3:15\n      ^^^^^^",
      },
    });
    expect(await harness.orchestra.getJobs()).toEqual([]);
  });

  it("a duration too long for a date is a 400 ERR_TIMING pointing at the number, never a 500", async () => {
    harness = await apiHarness();
    for (const [timing, word] of [
      ["once in 999999999999 hours", "999999999999"],
      ["every 9999999999999999999999 seconds", "9999999999999999999999"],
    ]) {
      const response = await harness.request("POST", "/api/jobs", newJob(harness.module, { timing }));
      expect(response.statusCode, timing).toBe(400);
      expect(response.json(), timing).toMatchObject({ error: "ERR_TIMING", details: { field: "timing", word, reason: expect.stringContaining("at most 36500 days") as unknown } });
    }
    expect(harness.errors).toEqual([]);
  });

  it("an ambiguous timing is refused, not guessed", async () => {
    harness = await apiHarness();
    const response = await harness.request("POST", "/api/jobs", newJob(harness.module, { timing: "every 9:15" }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: "ERR_TIMING", details: { field: "timing", word: expect.any(String) as unknown } });
  });

  it("an unknown timezone is a 400 with a suggestion, never UTC", async () => {
    harness = await apiHarness();
    const response = await harness.request("POST", "/api/jobs", newJob(harness.module, { timezone: "Europe/Pariss" }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: "ERR_TIMEZONE",
      message: 'unknown timezone "Europe/Pariss"; did you mean "Europe/Paris"?',
      details: { field: "timezone", timezone: "Europe/Pariss", suggestion: "Europe/Paris" },
    });
  });

  it("a module that does not load, or lacks the task, is a 400 naming it", async () => {
    harness = await apiHarness();
    const missing = await harness.request("POST", "/api/jobs", newJob(harness.module.replace("tasks.mjs", "taks.mjs")));
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ error: "ERR_TASK_LOAD", details: { field: "module", suggestion: harness.module } });
    const noTask = await harness.request("POST", "/api/jobs", newJob(harness.module, { task: "wrok" }));
    expect(noTask.statusCode).toBe(400);
    expect(noTask.json()).toMatchObject({ error: "ERR_TASK_LOAD", message: expect.stringContaining('did you mean "work"?') as unknown, details: { field: "task", task: "wrok", suggestion: "work" } });
    expect(await harness.orchestra.getJobs()).toEqual([]);
  });

  it("a ONCE job at a date gone by is a 400 ERR_TIMING: it would never run (a date still ahead is created)", async () => {
    harness = await apiHarness(); // the clock reads 2024-03-04 08:00 UTC
    const past = await harness.request("POST", "/api/jobs", newJob(harness.module, { name: "late", timing: "2020-01-01 09:00", timezone: "Europe/Berlin" }));
    expect(past.statusCode).toBe(400);
    expect(past.json()).toMatchObject({ error: "ERR_TIMING", message: expect.stringContaining("2020-01-01 09:00 (Europe/Berlin) is in the past: the job would never run") as unknown });
    expect((await harness.request("GET", "/api/jobs/late")).statusCode).toBe(404);
    expect((await harness.request("POST", "/api/jobs", newJob(harness.module, { name: "soon", timing: "2024-03-04 09:00" }))).statusCode).toBe(201);
  });

  it("a duplicate name is a 409", async () => {
    harness = await apiHarness();
    expect((await harness.request("POST", "/api/jobs", newJob(harness.module))).statusCode).toBe(201);
    const again = await harness.request("POST", "/api/jobs", newJob(harness.module, { timing: "every hour" }));
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({ error: "ERR_DUPLICATE_JOB", message: 'a job named "nightly" exists already (declared by the API: delete it there first, or rename one of the two)', details: { job: "nightly" } });
    expect((await harness.orchestra.getJob("nightly")).timing).toBe("every day at 9:00");
  });

  it("an invalid body is a 400 listing every offending field", async () => {
    harness = await apiHarness();
    const response = await harness.request("POST", "/api/jobs", {
      name: "  ",
      module: harness.module,
      timing: 5,
      timzone: "UTC",
      missed: "never",
      options: { priority: "5", expires: 0, colour: "red" },
    });
    expect(response.statusCode).toBe(400);
    const body = response.json<{ error: string; details: { in: string; field: string; message: string }[] }>();
    expect(body.error).toBe("ERR_VALIDATION");
    expect(Object.fromEntries(body.details.map((problem) => [problem.field, problem.message]))).toEqual({
      name: "must not be blank nor hold control characters",
      task: "is required",
      timing: "Expected string",
      timzone: 'is not a known field; did you mean "timezone"?',
      missed: "must be one of: skip, once, all",
      "options.priority": "Expected integer",
      "options.expires": "must be more than 0",
      "options.colour": "is not a known field",
    });
    expect(body.details.every((problem) => problem.in === "body")).toBe(true);
  });

  it("countdown and expires at most 10 years, priority within ±1000000, retries at most 1000, maxCatchup at most 10000", async () => {
    harness = await apiHarness();
    const response = await harness.request(
      "POST",
      "/api/jobs",
      newJob(harness.module, { options: { countdown: 1e16, expires: 315_360_001, priority: -1_000_001, retries: 1001 }, missed: "all", maxCatchup: 10_001 }),
    );
    expect(response.statusCode).toBe(400);
    expect(Object.fromEntries(response.json<{ details: { field: string; message: string }[] }>().details.map((p) => [p.field, p.message]))).toEqual({
      "options.countdown": "must be at most 315360000 (10 years)",
      "options.expires": "must be at most 315360000 (10 years)",
      "options.priority": "must be at least -1000000",
      "options.retries": "must be at most 1000",
      maxCatchup: "must be at most 10000",
    });
    const largest = { countdown: 315_360_000 - 1, expires: 315_360_000, priority: 1_000_000, retries: 1000 };
    const accepted = await harness.request("POST", "/api/jobs", newJob(harness.module, { options: largest, missed: "all", maxCatchup: 10_000 }));
    expect(accepted.statusCode).toBe(201);
    expect((await harness.request("POST", "/api/jobs/nightly/trigger")).statusCode).toBe(202);
    expect(harness.errors).toEqual([]);
  });

  it("args and kwargs nested deeper than 32 levels, larger than 64 KiB or holding U+0000 are a 400, never a 500", async () => {
    harness = await apiHarness();
    // Bodies written as text: a value thousands deep overflows the stack of JSON.stringify in a test worker.
    const nested = (depth: number): string => "[".repeat(depth) + "]".repeat(depth);
    const post = (options: string) =>
      harness.request("POST", "/api/jobs", JSON.stringify(newJob(harness.module)).replace(/}$/, `,"options":${options}}`), { "content-type": "application/json" });
    const refused: [string, string, string][] = [
      [`{"args":${nested(3000)}}`, "options.args", "nests deeper than 32 levels of lists and maps"],
      [`{"args":${nested(5000)}}`, "options.args", "nests deeper than 32 levels of lists and maps"],
      [`{"kwargs":{"deep":${nested(32)}}}`, "options.kwargs", "nests deeper than 32 levels of lists and maps"],
      [`{"kwargs":{"text":"${"x".repeat(70_000)}"}}`, "options.kwargs", "is 70011 bytes as JSON, more than 65536 (64 KiB)"],
      ['{"args":["a\\u0000b"]}', "options.args", "must not hold U+0000 in a string (PostgreSQL text cannot hold it)"],
      ['{"kwargs":{"k\\u0000":1}}', "options.kwargs", "must not hold U+0000 in a string (PostgreSQL text cannot hold it)"],
    ];
    for (const [options, field, message] of refused) {
      const response = await post(options);
      expect(response.statusCode, field).toBe(400);
      expect(response.json(), field).toMatchObject({ error: "ERR_VALIDATION", details: [{ in: "body", field, message }] });
    }
    expect(await harness.orchestra.getJobs()).toEqual([]);
    const deepest = await post(`{"args":${nested(32)},"kwargs":{"deep":${nested(31)}}}`);
    expect(deepest.statusCode).toBe(201);
    expect(harness.errors).toEqual([]);
  });

  it("a timeout longer than a Node.js timer waits is a 400 naming the maximum", async () => {
    harness = await apiHarness();
    const response = await harness.request("POST", "/api/jobs", newJob(harness.module, { options: { timeout: 2_147_484 } }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: "ERR_VALIDATION",
      details: [{ in: "body", field: "options.timeout", message: "must be at most 2147483 (about 24.8 days, the longest a Node.js timer waits)" }],
    });
    expect((await harness.request("POST", "/api/jobs", newJob(harness.module, { options: { timeout: 2_147_483 } }))).statusCode).toBe(201);
  });

  it("control characters in a name, task, zone or queue are a 400, U+0000 above all (PostgreSQL text cannot hold it)", async () => {
    harness = await apiHarness();
    for (const name of ["t\u0001b", "\u0000", "t\u007fb", "a\u0000b", "t\u0085"]) {
      const response = await harness.request("POST", "/api/jobs", newJob(harness.module, { name }));
      expect(response.statusCode, JSON.stringify(name)).toBe(400);
      expect(response.json(), JSON.stringify(name)).toMatchObject({
        error: "ERR_VALIDATION",
        details: [{ in: "body", field: "name", message: "must not be blank nor hold control characters" }],
      });
    }
    const response = await harness.request("POST", "/api/jobs", newJob(harness.module, { task: "wo\u0000rk", timezone: "UTC\u0000", options: { queue: "q\u0000" } }));
    expect(response.statusCode).toBe(400);
    expect(response.json<{ details: { field: string }[] }>().details.map((problem) => problem.field)).toEqual(["task", "timezone", "options.queue"]);
    expect(await harness.orchestra.getJobs()).toEqual([]);
  });

  it("a tag with a comma or white space at either end is a 400: no tags= filter could select it", async () => {
    harness = await apiHarness();
    const response = await harness.request("POST", "/api/jobs", newJob(harness.module, { tags: ["ok", "a,b", " sp "] }));
    expect(response.statusCode).toBe(400);
    const message = "must not be blank, hold control characters or commas (tags=a,b filters split at commas), nor start or end with white space (they trim it)";
    expect(response.json()).toMatchObject({
      error: "ERR_VALIDATION",
      details: [
        { in: "body", field: "tags.1", message },
        { in: "body", field: "tags.2", message },
      ],
    });
    expect((await harness.request("POST", "/api/jobs", newJob(harness.module, { tags: ["a b", "ok"] }))).statusCode).toBe(201);
  });

  it("long texts are a 400 that names the limit and does not echo them", async () => {
    harness = await apiHarness();
    const response = await harness.request(
      "POST",
      "/api/jobs",
      newJob(harness.module, { name: "n".repeat(201), task: "t".repeat(201), timing: `every ${"9".repeat(90_000)} seconds`, tags: ["t".repeat(101)] }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body.length).toBeLessThan(1000);
    expect(response.json()).toMatchObject({
      error: "ERR_VALIDATION",
      details: [
        { field: "name", message: "must be at most 200 characters long" },
        { field: "task", message: "must be at most 200 characters long" },
        { field: "timing", message: "must be at most 200 characters long" },
        { field: "tags.0", message: "must be at most 100 characters long" },
      ],
    });
  });

  it("a job name holding U+0000 is no job: GET, DELETE, pause, resume and trigger answer 404", async () => {
    harness = await apiHarness();
    for (const [method, path] of [
      ["GET", "/api/jobs/a%00b"],
      ["GET", "/api/jobs/a%00b/runs"],
      ["GET", "/api/jobs/a%00b/runs/1"],
      ["DELETE", "/api/jobs/a%00b"],
      ["PUT", "/api/jobs/a%00b/pause"],
      ["PUT", "/api/jobs/a%00b/resume"],
      ["POST", "/api/jobs/a%00b/trigger"],
    ] as const) {
      const response = await harness.request(method, path);
      expect(response.statusCode, `${method} ${path}`).toBe(404);
      expect(response.json(), `${method} ${path}`).toMatchObject({ error: "ERR_JOB_NOT_FOUND" });
    }
  });

  it("checks one field against another: expires after countdown, maxCatchup only with missed all", async () => {
    harness = await apiHarness();
    const response = await harness.request("POST", "/api/jobs", newJob(harness.module, { options: { countdown: 10, expires: 5 }, maxCatchup: 3 }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: "ERR_VALIDATION",
      details: [
        { in: "body", field: "options.expires", message: expect.stringContaining("greater than countdown (10 s)") as unknown },
        { in: "body", field: "maxCatchup", message: 'applies only with missed: "all" (this job has missed: "once")' },
      ],
    });
  });

  it("a body that is not JSON, or not an object, is a 400, never a 500", async () => {
    harness = await apiHarness();
    const json = { "content-type": "application/json" };
    for (const payload of ["{", "[]", "null", '"job"', ""]) {
      const response = await harness.request("POST", "/api/jobs", payload, json);
      expect(response.statusCode, payload).toBe(400);
      expect(response.json<{ error: string }>().error, payload).toMatch(/^ERR_(VALIDATION|BAD_REQUEST)$/);
    }
    const text = await harness.request("POST", "/api/jobs", "name=x", { "content-type": "application/x-www-form-urlencoded" });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ error: "ERR_UNSUPPORTED_MEDIA_TYPE" });
  });
});

describe("GET /api/jobs lists the jobs", () => {
  async function threeJobs(h: ApiHarness): Promise<void> {
    for (const [name, tags] of [
      ["Nightly report", ["report"]],
      ["hourly sync", ["sync", "report"]],
      ["cleanup", ["ops"]],
    ] as const) {
      expect((await h.request("POST", "/api/jobs", newJob(h.module, { name, tags }))).statusCode).toBe(201);
    }
    await h.orchestra.pauseJob("cleanup");
  }

  const names = (response: { json: () => unknown }): string[] => (response.json() as { jobs: { name: string }[] }).jobs.map((job) => job.name).sort();

  it("with state, kind, timing, zone, next due, due in, attempts, tags and last run", async () => {
    harness = await apiHarness();
    await threeJobs(harness);
    const response = await harness.request("GET", "/api/jobs");
    expect(response.statusCode).toBe(200);
    const jobs = response.json<{ jobs: Record<string, unknown>[] }>().jobs;
    expect(jobs).toHaveLength(3);
    expect(jobs.find((job) => job.name === "cleanup")).toMatchObject({
      state: "Paused",
      kind: "DAILY",
      timing: "every day at 9:00",
      timezone: "UTC",
      nextDue: "2024-03-04T09:00:00+00:00",
      dueIn: "1:00:00",
      dueInSeconds: 3600,
      attemptsLabel: "0/inf",
      tags: ["ops"],
      lastRun: null,
    });
  });

  it("filters by tags (all of them by default, any with anyTag=true), state and name fragment", async () => {
    harness = await apiHarness();
    await threeJobs(harness);
    expect(names(await harness.request("GET", "/api/jobs?tags=sync&tags=report"))).toEqual(["hourly sync"]);
    expect(names(await harness.request("GET", "/api/jobs?tags=sync,report"))).toEqual(["hourly sync"]);
    expect(names(await harness.request("GET", "/api/jobs?tags=sync,ops&anyTag=true"))).toEqual(["cleanup", "hourly sync"]);
    expect(names(await harness.request("GET", "/api/jobs?tags=report&anyTag=false"))).toEqual(["Nightly report", "hourly sync"]);
    expect(names(await harness.request("GET", "/api/jobs?state=Paused"))).toEqual(["cleanup"]);
    expect(names(await harness.request("GET", "/api/jobs?state=running"))).toEqual(["Nightly report", "hourly sync"]);
    expect(names(await harness.request("GET", "/api/jobs?name=NIGHT"))).toEqual(["Nightly report"]);
    expect(names(await harness.request("GET", "/api/jobs?name=zzz"))).toEqual([]);
  });

  it("refuses unknown filters and values with a 400", async () => {
    harness = await apiHarness();
    const response = await harness.request("GET", "/api/jobs?state=Sleeping&anyTag=maybe&colour=red");
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: "ERR_VALIDATION",
      details: expect.arrayContaining([
        { in: "querystring", field: "state", message: "must be one of: Running, Paused, Done, running, paused, done" },
        { in: "querystring", field: "anyTag", message: "Expected boolean" },
        { in: "querystring", field: "colour", message: "is not a known field" },
      ]) as unknown,
    });
  });
});

describe("GET and DELETE /api/jobs/{name}", () => {
  it("gets one job by its (URL-encoded) name; 404 for an unknown one", async () => {
    harness = await apiHarness();
    await harness.request("POST", "/api/jobs", newJob(harness.module, { name: "a/b c" }));
    const found = await harness.request("GET", "/api/jobs/a%2Fb%20c");
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({ name: "a/b c", state: "Running" });
    const missing = await harness.request("GET", "/api/jobs/nope");
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: "ERR_JOB_NOT_FOUND", message: 'no job named "nope"', details: { job: "nope" } });
  });

  it("deletes a job (204): gone from the store, its schedule stopped; 404 the second time", async () => {
    harness = await apiHarness();
    await harness.request("POST", "/api/jobs", newJob(harness.module));
    const deleted = await harness.request("DELETE", "/api/jobs/nightly");
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe("");
    expect(harness.events).toContainEqual({ type: "deleted", job: "nightly" });
    expect(await harness.orchestra.getJobs()).toEqual([]);
    expect((await harness.request("DELETE", "/api/jobs/nightly")).statusCode).toBe(404);
  });
});

describe("what the API changes survives a restart", () => {
  it("created, paused and deleted jobs are as the API left them in a new Orchestra on the same file", async () => {
    harness = await apiHarness();
    await harness.request("POST", "/api/jobs", newJob(harness.module, { name: "kept", tags: ["keep"] }));
    await harness.request("POST", "/api/jobs", newJob(harness.module, { name: "paused" }));
    await harness.request("POST", "/api/jobs", newJob(harness.module, { name: "gone" }));
    expect((await harness.request("PUT", "/api/jobs/paused/pause")).statusCode).toBe(200);
    expect((await harness.request("DELETE", "/api/jobs/gone")).statusCode).toBe(204);
    await harness.orchestra.stop(0);
    const again = await harness.reopen();
    const jobs = await again.getJobs();
    expect(jobs.map((job) => [job.name, job.state, job.source]).sort()).toEqual([
      ["kept", "Running", "api"],
      ["paused", "Paused", "api"],
    ]);
  });
});
