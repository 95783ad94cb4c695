import { writeFileSync } from "node:fs";
import { connect, createServer, type AddressInfo, type Server } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ErrorCode, Orchestra, OrchestraError, type OrchestraEvent } from "../../src/index.ts";
import { tempDir } from "../support/store.ts";
import { TASKS } from "./support.ts";

const TOKEN = "over-the-wire";

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function workspace(): { dir: string; db: string; module: string } {
  const dir = tempDir("orchestra-api-server-");
  cleanups.push(dir.cleanup);
  const module = join(dir.path, "tasks.mjs");
  writeFileSync(module, `${TASKS}\n`);
  return { dir: dir.path, db: join(dir.path, "orchestra.db"), module };
}

/** Runs the orchestra until the test ends; resolves with the API's URL once it listens. */
async function serve(orchestra: Orchestra, events: OrchestraEvent[]): Promise<string> {
  const running = orchestra.run();
  cleanups.push(async () => {
    await orchestra.stop(1000);
    await running;
  });
  await waitFor(() => events.some((event) => event.type === "api-listening"));
  const listening = events.find((event) => event.type === "api-listening");
  if (listening?.type !== "api-listening") throw new Error("not listening");
  return listening.url;
}

describe("the REST API on a real socket (Orchestra.run with api: true)", () => {
  it("serves the routes with the token over HTTP; a task triggered through it runs; everything survives a restart", async () => {
    const { db, module } = workspace();
    const events: OrchestraEvent[] = [];
    const orchestra = new Orchestra({ broker: db, api: true, apiAddress: "127.0.0.1:0", apiToken: TOKEN, worker: { concurrency: 1 }, onEvent: (event) => events.push(event) });
    await orchestra.createSchedule();
    const url = await serve(orchestra, events);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const auth = { authorization: `Bearer ${TOKEN}` };
    const json = { ...auth, "content-type": "application/json" };

    expect((await fetch(`${url}/api/jobs`)).status).toBe(401);
    expect((await fetch(`${url}/openapi.json`)).status).toBe(200);

    const created = await fetch(`${url}/api/jobs`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ name: "wired", module, task: "work", timing: "every day at 3:00", tags: ["wire"] }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name: "wired", source: "api", state: "Running" });

    const triggered = await fetch(`${url}/api/jobs/wired/trigger`, { method: "POST", headers: auth });
    expect(triggered.status).toBe(202);
    await waitFor(() => events.some((event) => event.type === "run-succeeded" && event.job === "wired"));
    const runs = await fetch(`${url}/api/jobs/wired/runs?status=success`, { headers: auth });
    const page = (await runs.json()) as { total: number; runs: { id: number; result: unknown; workerId: string | null }[] };
    expect(page.total).toBe(1);
    expect(page.runs[0]).toMatchObject({ result: { done: true }, workerId: expect.any(String) as unknown });
    const one = await fetch(`${url}/api/jobs/wired/runs/${page.runs[0]?.id ?? 0}`, { headers: auth });
    expect(await one.json()).toMatchObject({ status: "success", errorStack: null });

    const metrics = await (await fetch(`${url}/metrics`, { headers: auth })).text();
    expect(metrics).toContain('orchestra_dispatches_total{origin="manual"} 1');
    expect(metrics).toContain("orchestra_run_successes_total 1");

    const paused = await fetch(`${url}/api/jobs/wired/pause`, { method: "PUT", headers: auth });
    expect(await paused.json()).toEqual({ name: "wired", state: "Paused", changed: true });
    expect((await fetch(`${url}/api/health`, { headers: auth })).status).toBe(200);

    await orchestra.stop(1000);
    await expect(fetch(`${url}/api/health`, { headers: auth })).rejects.toThrow();

    const again = new Orchestra({ broker: db, worker: false });
    cleanups.push(() => again.stop(0));
    expect(await again.getJob("wired")).toMatchObject({ state: "Paused", source: "api", attempts: 1, lastRun: { status: "success" } });
    expect((await again.getRuns("wired")).map((run) => run.status)).toEqual(["success"]);
  });

  it("what a browser page or a broken client sends gets the API's own answers, over a real socket", async () => {
    const { db, module } = workspace();
    const events: OrchestraEvent[] = [];
    const orchestra = new Orchestra({ broker: db, api: true, apiAddress: "127.0.0.1:0", worker: false, onEvent: (event) => events.push(event) });
    await orchestra.createSchedule();
    await orchestra.scheduleTask({ name: "kept", module, task: "work", timing: "every day at 3:00" });
    const url = new URL(await serve(orchestra, events));

    // Not percent-encoded: Node's parser refuses it before any route sees it.
    const raw = await rawRequest(url, `GET /api/jobs?name=\u00e9 HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
    expect(raw.status).toBe(400);
    expect(JSON.parse(raw.body)).toMatchObject({ error: "ERR_BAD_REQUEST", message: expect.stringContaining("a URL must be percent-encoded") as unknown });
    const huge = await rawRequest(url, `GET /api/jobs HTTP/1.1\r\nHost: ${url.host}\r\nX-Filler: ${"x".repeat(20_000)}\r\n\r\n`);
    expect(huge.status).toBe(431);
    expect(JSON.parse(huge.body)).toEqual({ error: "ERR_HEADERS_TOO_LARGE", message: "the request's headers are too large" });
    // A page whose domain was pointed at 127.0.0.1, and a form posted from another site.
    expect((await rawRequest(url, `GET /api/jobs HTTP/1.1\r\nHost: rebind.example:${url.port}\r\nConnection: close\r\n\r\n`)).status).toBe(403);
    const form = await fetch(`${url.origin}/api/jobs/kept`, { method: "DELETE", headers: { origin: "http://evil.example" } });
    expect(form.status).toBe(403);
    expect((await fetch(`${url.origin}/api/jobs/kept`)).status).toBe(200);
  });

  it("an address in use: run() rejects with a clear error and leaves nothing running", async () => {
    const { db } = workspace();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const { port } = blocker.address() as AddressInfo;
    const orchestra = new Orchestra({ broker: db, api: true, apiAddress: `127.0.0.1:${port}`, worker: false });
    const failure: unknown = await orchestra.run().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(OrchestraError);
    expect((failure as OrchestraError).code).toBe(ErrorCode.Config);
    expect((failure as OrchestraError).message).toBe(`cannot serve the REST API on 127.0.0.1:${port}: the address is in use (another orchestra, or another program, listens there)`);
    // The store was closed: another orchestra may open the file, and this one can still be stopped.
    await orchestra.stop(0);
  });
});

/** Sends bytes as they are (fetch would encode the URL and set Host itself); the status and body of the answer. */
function rawRequest(url: URL, request: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.end(Buffer.from(request, "utf8")));
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", body = ""] = answer.split("\r\n\r\n");
      resolve({ status: Number(head.split(" ")[1]), body });
    });
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
