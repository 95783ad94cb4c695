import { describe, expect, it } from "vitest";
import { explainJobError } from "../../../src/worker/bullmq-errors.ts";

describe("BullMQ's errors about a job that changed under its worker, explained", () => {
  it("a job Redis lost, one whose lock ran out, one another worker holds; others are left as they are", () => {
    expect(explainJobError("Missing key for job nightly@1764380000000. moveToFinished")).toBe(
      "job nightly@1764380000000 was gone from Redis when its worker ended it (moveToFinished): Redis lost it (restarted without its data?). Its run is recorded in the store, and an occurrence whose run did not finish is sent again",
    );
    expect(explainJobError("Missing lock for job a%3Ab@1. moveToDelayed")).toMatch(/^job a%3Ab@1 was no longer locked by this worker when it ended it \(moveToDelayed\): its lock ran out/);
    expect(explainJobError("Lock mismatch for job x@2. Cmd moveToFinished from active")).toMatch(/^job x@2 was locked by another worker when this one ended it \(moveToFinished\)/);
    expect(explainJobError("Connection is closed.")).toBeNull();
  });
});
