import { describe, expect, it } from "vitest";
import { parseLocation } from "../../../src/config/locations.ts";

describe("broker and backend locations", () => {
  it("reads the SQLite forms for both roles", () => {
    expect(parseLocation("sqlite:////srv/o.db", "/base", "backend")).toEqual({ kind: "sqlite", path: "/srv/o.db" });
    expect(parseLocation("sqla+sqlite:///log.db", "/base", "broker")).toEqual({ kind: "sqlite", path: "/base/log.db" });
    expect(parseLocation("data/o.db", "/base", "backend")).toEqual({ kind: "sqlite", path: "/base/data/o.db" });
  });

  it("reads postgresql:// and postgres:// backends, keeping the URL whole", () => {
    expect(parseLocation("postgresql://app@db:5432/o?schema=prod", "/base", "backend")).toEqual({
      kind: "postgres",
      url: "postgresql://app@db:5432/o?schema=prod",
    });
    expect(parseLocation("postgres://db/o", "/base", "backend")).toEqual({ kind: "postgres", url: "postgres://db/o" });
  });

  it("refuses PostgreSQL as a broker: it is a store, not a queue", () => {
    expect(() => parseLocation("postgresql://db/o", "/base", "broker")).toThrow("not a task queue");
  });

  it("refuses other schemes, saying what is supported", () => {
    expect(() => parseLocation("mysql://db/o", "/base", "backend")).toThrow(
      'unsupported backend "mysql://…": this version runs on SQLite (sqlite:///path.db or a file path) or PostgreSQL (postgresql://…)',
    );
  });
});
