import { afterEach, describe, expect, it } from "vitest";
import { bearerTokenOf } from "../../src/api/auth.ts";
import { isLoopback, parseApiAddress, resolveApiSettings } from "../../src/api/settings.ts";
import { ErrorCode, Orchestra, OrchestraError } from "../../src/index.ts";
import { apiHarness, newJob, type ApiHarness } from "./support.ts";

const TOKEN = "s3cret-token";

let harness: ApiHarness | null = null;
afterEach(async () => {
  await harness?.cleanup();
  harness = null;
});

describe("with a token, every /api route and /metrics need Authorization: Bearer <token>", () => {
  const routes = [
    ["GET", "/api/jobs"],
    ["POST", "/api/jobs"],
    ["DELETE", "/api/jobs?tags=a"],
    ["POST", "/api/jobs/pause?tags=a"],
    ["POST", "/api/jobs/resume?tags=a"],
    ["POST", "/api/jobs/trigger?tags=a"],
    ["GET", "/api/jobs/nightly"],
    ["DELETE", "/api/jobs/nightly"],
    ["PUT", "/api/jobs/nightly/pause"],
    ["PUT", "/api/jobs/nightly/resume"],
    ["POST", "/api/jobs/nightly/trigger"],
    ["GET", "/api/jobs/nightly/runs"],
    ["GET", "/api/jobs/nightly/runs/1"],
    ["GET", "/api/tags"],
    ["GET", "/api/health"],
    ["GET", "/metrics"],
    ["GET", "/api/no-such-route"],
  ] as const;

  it("401 without the header, with another token or another scheme; nothing is changed", async () => {
    harness = await apiHarness({ token: TOKEN });
    await harness.orchestra.scheduleTask({ name: "nightly", module: harness.module, task: "work", timing: "every day at 9:00", tags: ["a"] });
    for (const authorization of [undefined, "Bearer wrong", `Bearer ${TOKEN}x`, `Basic ${Buffer.from(`user:${TOKEN}`).toString("base64")}`, TOKEN, "Bearer"]) {
      for (const [method, url] of routes) {
        const response = await harness.app.inject({ method, url, headers: authorization === undefined ? {} : { authorization } });
        expect(response.statusCode, `${method} ${url} with ${authorization ?? "nothing"}`).toBe(401);
        expect(response.headers["www-authenticate"]).toBe('Bearer realm="orchestra"');
        expect(response.json()).toMatchObject({ error: "ERR_UNAUTHORIZED" });
      }
    }
    expect((await harness.orchestra.getJobs()).map((job) => [job.name, job.state])).toEqual([["nightly", "Running"]]);
    expect(await harness.orchestra.getRuns("nightly")).toEqual([]);
  });

  it("the right token opens every route (the scheme in any case)", async () => {
    harness = await apiHarness({ token: TOKEN });
    const created = await harness.request("POST", "/api/jobs", newJob(harness.module));
    expect(created.statusCode).toBe(201);
    for (const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `BEARER  ${TOKEN} `]) {
      const response = await harness.app.inject({ url: "/api/jobs", headers: { authorization } });
      expect(response.statusCode, authorization).toBe(200);
    }
    expect((await harness.request("GET", "/metrics")).statusCode).toBe(200);
    expect((await harness.request("GET", "/api/health")).statusCode).toBe(200);
  });

  it("the documentation stays public: Swagger UI and the OpenAPI document, which says how to authenticate", async () => {
    harness = await apiHarness({ token: TOKEN });
    expect((await harness.app.inject({ url: "/docs" })).statusCode).toBe(200);
    expect((await harness.app.inject({ url: "/docs/static/swagger-ui.css" })).statusCode).toBe(200);
    const document = await harness.app.inject({ url: "/openapi.json" });
    expect(document.statusCode).toBe(200);
    expect(document.json()).toMatchObject({
      components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } },
      security: [{ bearerAuth: [] }],
    });
  });

  it("an encoded spelling of a path gets no further than the plain one", async () => {
    harness = await apiHarness({ token: TOKEN });
    for (const url of ["/%61pi/jobs", "/api//jobs", "/api/jobs/", "/API/jobs", "/metrics?x=1"]) {
      expect((await harness.app.inject({ url })).statusCode, url).toBe(401);
    }
  });
});

describe("without a token", () => {
  it("every route is open (the API listens on loopback only)", async () => {
    harness = await apiHarness();
    expect((await harness.app.inject({ url: "/api/jobs" })).statusCode).toBe(200);
    expect((await harness.app.inject({ url: "/metrics" })).statusCode).toBe(200);
    const document = await harness.app.inject({ url: "/openapi.json" });
    expect(document.json()).not.toHaveProperty("security");
  });
});

describe("the API's settings: safe by default", () => {
  it("listens on 127.0.0.1:5000 unless told otherwise", () => {
    expect(resolveApiSettings({}, {})).toEqual({ host: "127.0.0.1", port: 5000, token: null });
    expect(resolveApiSettings({ apiAddress: "[::1]:0" }, {})).toEqual({ host: "::1", port: 0, token: null });
    expect(resolveApiSettings({ apiAddress: "localhost:8080" }, {})).toEqual({ host: "localhost", port: 8080, token: null });
  });

  it("refuses a non-loopback address without a token, with a clear message", () => {
    for (const apiAddress of ["0.0.0.0:5000", "[::]:5000", "192.168.1.10:5000", "example.com:80"]) {
      let error: unknown;
      try {
        resolveApiSettings({ apiAddress }, {});
      } catch (caught) {
        error = caught;
      }
      expect(error, apiAddress).toBeInstanceOf(OrchestraError);
      expect((error as OrchestraError).code).toBe(ErrorCode.Config);
      expect((error as OrchestraError).message).toMatch(/^refusing to serve the REST API on .+ without a token: anyone who can reach that address could create, trigger and delete jobs/);
    }
  });

  it("takes the token from apiToken, else from ORCHESTRA_API_TOKEN", () => {
    expect(resolveApiSettings({ apiAddress: "0.0.0.0:5000", apiToken: "a" }, { ORCHESTRA_API_TOKEN: "b" })).toEqual({ host: "0.0.0.0", port: 5000, token: "a" });
    expect(resolveApiSettings({ apiAddress: "0.0.0.0:5000" }, { ORCHESTRA_API_TOKEN: "b" }).token).toBe("b");
    expect(resolveApiSettings({}, { ORCHESTRA_API_TOKEN: "" }).token).toBeNull();
    expect(() => resolveApiSettings({ apiToken: " " }, {})).toThrow("the API token is empty");
  });

  it("refuses malformed addresses", () => {
    for (const address of ["5000", "127.0.0.1", "127.0.0.1:", "127.0.0.1:70000", "::1:5000", "[127.0.0.1]:5000", "host:port", ":5000"]) {
      expect(() => parseApiAddress(address), address).toThrow(`invalid API address "${address}": expected HOST:PORT`);
    }
  });

  it("knows the loopback addresses", () => {
    expect(["127.0.0.1", "127.1.2.3", "::1", "localhost", "LOCALHOST", "::ffff:127.0.0.1"].every(isLoopback)).toBe(true);
    expect(["0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "localhost.example.com"].some(isLoopback)).toBe(false);
  });

  it("new Orchestra refuses a non-loopback API without a token before anything starts", () => {
    expect(() => new Orchestra({ api: true, apiAddress: "0.0.0.0:5000" })).toThrow(/refusing to serve the REST API on 0\.0\.0\.0:5000 without a token/);
    expect(() => new Orchestra({ api: false, apiAddress: "0.0.0.0:5000" })).not.toThrow();
    expect(() => new Orchestra({ api: true, apiAddress: "0.0.0.0:5000", apiToken: TOKEN })).not.toThrow();
  });

  it("reads the bearer token of a header", () => {
    expect(bearerTokenOf(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerTokenOf("bearer a b")).toBe("a b");
    expect(bearerTokenOf("Bearer ")).toBeNull();
    expect(bearerTokenOf(undefined)).toBeNull();
    expect(bearerTokenOf(`Token ${TOKEN}`)).toBeNull();
  });
});
