import { describe, expect, it } from "vitest";
import { StoreError } from "../../../src/errors/store-error.ts";
import { isConnectionLoss, isTransient } from "../../../src/store/postgres/failures.ts";

function coded(code: string, message = "x"): Error {
  return Object.assign(new Error(message), { code });
}

describe("PostgreSQL failures the store runs a transaction again for", () => {
  it.each([
    ["a refused connection (server restarting)", coded("ECONNREFUSED")],
    ["a reset connection", coded("ECONNRESET")],
    ["admin shutdown (restart, pg_terminate_backend)", coded("57P01")],
    ["the server still starting up", coded("57P03")],
    ["a connection exception (class 08)", coded("08006")],
    ["a serialization failure", coded("40001")],
    ["a deadlock", coded("40P01")],
    ["the driver's dropped connection", new Error("Connection terminated unexpectedly")],
    ["the driver's broken client", new Error("Client has encountered a connection error and is not queryable")],
    ["a pool that could not connect in time", new Error("timeout exceeded when trying to connect")],
    ["any of them wrapped in our own error", new StoreError("migration failed", { cause: coded("57P01") })],
  ])("%s", (_, error) => {
    expect(isTransient(error)).toBe(true);
  });

  it.each([
    ["a unique violation", coded("23505")],
    ["a syntax error", coded("42601")],
    ["a missing table", coded("42P01")],
    ["a plain error", new Error("boom")],
    ["not an error at all", "Connection terminated"],
  ])("but not %s", (_, error) => {
    expect(isTransient(error)).toBe(false);
  });

  it("tells a lost connection from a rolled-back conflict: only the first leaves a commit's outcome unknown", () => {
    expect(isConnectionLoss(coded("57P01"))).toBe(true);
    expect(isConnectionLoss(coded("40001"))).toBe(false);
  });
});
