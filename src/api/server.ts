import type { FastifyInstance } from "fastify";
import type { AddressInfo } from "node:net";
import { ErrorCode } from "../errors/error-code.ts";
import { OrchestraError } from "../errors/orchestra-error.ts";
import { codeOf } from "../tasks/locate.ts";
import { createApiApp, type ApiAppOptions } from "./app.ts";
import { formatAddress, type ApiSettings } from "./settings.ts";

export interface ApiServerOptions extends Omit<ApiAppOptions, "token"> {
  readonly settings: ApiSettings;
}

/** The REST API listening on its address; what `Orchestra.run()` starts and `stop()` closes. */
export class ApiServer {
  /** `http://127.0.0.1:5000`: with the port actually bound when port 0 was asked for. */
  readonly url: string;
  readonly #app: FastifyInstance;

  private constructor(app: FastifyInstance, url: string) {
    this.#app = app;
    this.url = url;
  }

  /** Throws an OrchestraError (ERR_CONFIG) when the address cannot be listened on. */
  static async start(options: ApiServerOptions): Promise<ApiServer> {
    const { settings } = options;
    const app = await createApiApp({ ...options, token: settings.token });
    try {
      await app.listen({ host: settings.host, port: settings.port });
    } catch (error) {
      await app.close();
      throw listenError(error, formatAddress(settings.host, settings.port));
    }
    const { port } = app.server.address() as AddressInfo;
    return new ApiServer(app, `http://${formatAddress(settings.host, port)}`);
  }

  /** Stops listening; requests under way are answered first. */
  async close(): Promise<void> {
    await this.#app.close();
  }
}

const LISTEN_FAILURES: Readonly<Record<string, string>> = {
  EADDRINUSE: "the address is in use (another orchestra, or another program, listens there)",
  EADDRNOTAVAIL: "this machine has no such address",
  EACCES: "permission denied (ports below 1024 need privileges)",
  ENOTFOUND: "no such host",
};

function listenError(error: unknown, address: string): unknown {
  const reason = LISTEN_FAILURES[codeOf(error) ?? ""];
  if (reason === undefined) return error;
  const failure = new OrchestraError(ErrorCode.Config, `cannot serve the REST API on ${address}: ${reason}`);
  failure.cause = error;
  return failure;
}
