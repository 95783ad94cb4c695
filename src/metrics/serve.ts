import { createServer, type Server } from "node:http";
import { ErrorCode } from "../errors/error-code.ts";
import { OrchestraError } from "../errors/orchestra-error.ts";

export interface MetricsServer {
  /** `http://host:port/metrics`, with the port chosen when 0 was asked for. */
  readonly url: string;
  close(): Promise<void>;
}

export interface MetricsPage {
  readonly contentType: string;
  readonly text: string;
}

/**
 * Serves `GET /metrics` on `host:port` for Prometheus to scrape, and nothing else (a worker has no REST
 * API; node's own server is enough for one read-only page). Fails with a configuration error naming
 * the address when it cannot listen there.
 */
export async function serveMetrics(host: string, port: number, page: () => Promise<MetricsPage>): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (path !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end(`no page ${path ?? "/"}: metrics are at /metrics\n`);
      return;
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end(`${request.method ?? "?"} is not allowed on /metrics; use GET\n`);
      return;
    }
    page().then(
      ({ contentType, text }) => {
        response.writeHead(200, { "content-type": contentType }).end(request.method === "HEAD" ? undefined : text);
      },
      () => {
        response.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end("the metrics could not be rendered\n");
      },
    );
  });
  await listen(server, host, port);
  const address = server.address();
  const bound = typeof address === "object" && address !== null ? address.port : port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${String(bound)}/metrics`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(new OrchestraError(ErrorCode.Config, `cannot serve metrics on ${host}:${String(port)}: ${error.code === "EADDRINUSE" ? "the address is in use" : error.message}`));
    });
    server.listen(port, host, () => {
      resolve();
    });
  });
}
