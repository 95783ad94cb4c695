import { afterEach, describe, expect, it } from "vitest";
import { isLoopbackHost } from "../../src/api/browser-guard.ts";
import { apiHarness, newJob, type ApiHarness } from "./support.ts";

let harness: ApiHarness | null = null;
afterEach(async () => {
  await harness?.cleanup();
  harness = null;
});

async function jobState(h: ApiHarness, name: string): Promise<unknown> {
  return (await h.request("GET", `/api/jobs/${name}`)).json<{ state: string }>().state;
}

describe("web pages in a browser cannot drive the API (cross-site requests, DNS rebinding)", () => {
  it("a request from a page of another origin changes nothing: 403, whatever its method or body", async () => {
    harness = await apiHarness();
    await harness.request("POST", "/api/jobs", newJob(harness.module, { name: "gpu-job", tags: ["gpu"] }));
    const fromPage = { origin: "http://evil.example" };
    const attempts = [
      await harness.request("POST", "/api/jobs/pause?tags=gpu", "x", { ...fromPage, "content-type": "text/plain" }),
      await harness.request("POST", "/api/jobs/pause?tags=gpu", undefined, fromPage),
      await harness.request("PUT", "/api/jobs/gpu-job/pause", undefined, { "sec-fetch-site": "cross-site" }),
      await harness.request("DELETE", "/api/jobs/gpu-job", undefined, { "sec-fetch-site": "same-site" }),
      await harness.request("POST", "/api/jobs", newJob(harness.module, { name: "planted" }), { origin: "null" }),
    ];
    for (const response of attempts) {
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ error: "ERR_FORBIDDEN" });
    }
    expect(attempts[0]?.json<{ message: string }>().message).toBe(
      "a web page of another origin (http://evil.example) may not change jobs: send the request from a client that is not a browser page, or from this API's own /docs",
    );
    expect(await jobState(harness, "gpu-job")).toBe("Running");
    expect((await harness.request("GET", "/api/jobs/planted")).statusCode).toBe(404);
  });

  it("a page may read nothing either when its domain was pointed at this machine (Host is not a loopback name)", async () => {
    harness = await apiHarness();
    const rebound = await harness.request("GET", "/api/jobs", undefined, { host: "rebind.example:5000" });
    expect(rebound.statusCode).toBe(403);
    expect(rebound.json<{ message: string }>().message).toBe(
      'requests addressed to "rebind.example:5000" are refused: without a token the API answers only requests to localhost, 127.0.0.1 or [::1] (a web page\'s domain pointed at this machine would otherwise reach it)',
    );
  });

  it("clients that are not browser pages, and the API's own /docs page, go through", async () => {
    harness = await apiHarness();
    const created = await harness.request("POST", "/api/jobs", newJob(harness.module, { name: "ok" }), { host: "127.0.0.1:5000" });
    expect(created.statusCode).toBe(201);
    const fromDocs = await harness.request("PUT", "/api/jobs/ok/pause", undefined, { host: "127.0.0.1:5000", origin: "http://127.0.0.1:5000", "sec-fetch-site": "same-origin" });
    expect(fromDocs.statusCode).toBe(200);
    expect(await jobState(harness, "ok")).toBe("Paused");
    expect((await harness.request("GET", "/api/jobs/ok", undefined, { host: "[::1]:5000" })).statusCode).toBe(200);
  });

  it("with a token, the token keeps pages out: any Host is served (behind a proxy that rewrites it, too), and a request without the token is a 401", async () => {
    harness = await apiHarness({ token: "s3cret" });
    expect((await harness.request("GET", "/api/jobs", undefined, { host: "orchestra.internal:8080" })).statusCode).toBe(200);
    // /docs behind a proxy: the page's origin is the public name, Host the internal one.
    const fromDocs = await harness.request("POST", "/api/jobs", newJob(harness.module), { host: "127.0.0.1:5000", origin: "https://orchestra.example.com" });
    expect(fromDocs.statusCode).toBe(201);
    const fromPage = await harness.app.inject({ method: "POST", url: "/api/jobs/nightly/trigger", headers: { origin: "https://evil.example" } });
    expect(fromPage.statusCode).toBe(401);
  });

  it("a text/plain body is refused as an unsupported media type: only JSON is taken", async () => {
    harness = await apiHarness();
    const response = await harness.request("POST", "/api/jobs", JSON.stringify(newJob(harness.module)), { "content-type": "text/plain" });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ error: "ERR_UNSUPPORTED_MEDIA_TYPE" });
  });

  it("knows loopback names and addresses from others", () => {
    for (const host of ["localhost", "localhost:5000", "api.localhost:80", "127.0.0.1", "127.1.2.3:8080", "[::1]", "[::1]:5000"]) expect(isLoopbackHost(host)).toBe(true);
    for (const host of [undefined, "", "evil.example", "127.0.0.1.evil.example", "10.0.0.1:5000", "[::2]", "localhost.evil.example", "0.0.0.0"]) expect(isLoopbackHost(host)).toBe(false);
  });
});
