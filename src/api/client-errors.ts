import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { HttpErrorCode, type ErrorBody } from "./errors.ts";

/**
 * Answers a request that Node's HTTP parser refused before Fastify saw it (bytes a URL may not hold,
 * headers too large, a client too slow) in the API's own error shape, rather than Fastify's
 * `{ error: "Bad Request", message: "Client Error", statusCode: 400 }`.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return; // nobody to answer
  const [status, code, message] =
    error.code === "ERR_HTTP_REQUEST_TIMEOUT"
      ? [408, HttpErrorCode.RequestTimeout, "the request took too long to arrive"]
      : error.code === "HPE_HEADER_OVERFLOW"
        ? [431, HttpErrorCode.HeadersTooLarge, "the request's headers are too large"]
        : [400, HttpErrorCode.BadRequest, `the request is not valid HTTP (${error.code ?? error.message}): a URL must be percent-encoded, e.g. é as %C3%A9`];
  const body = JSON.stringify({ error: code, message } satisfies ErrorBody);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${String(status)} ${STATUS_CODES[status] ?? ""}\r\nContent-Length: ${String(Buffer.byteLength(body))}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}
