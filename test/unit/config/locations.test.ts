import { describe, expect, it } from "vitest";
import { parseLocation, resolveLocations } from "../../../src/config/locations.ts";
import { OrchestraError } from "../../../src/errors/orchestra-error.ts";

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

  it("reads a PostgreSQL backend's URL at once: a parameter it does not know is refused before anything opens", () => {
    expect(() => parseLocation("postgresql://db/o?schem=qa", "/base", "backend")).toThrow('unknown parameter "schem"; did you mean "schema"?');
  });

  it("refuses PostgreSQL as a broker: it is a store, not a queue", () => {
    expect(() => parseLocation("postgresql://db/o", "/base", "broker")).toThrow("not a task queue");
  });

  it.each([
    ["", "broker", 'the broker "" is empty: give a file path, sqlite:///path.db or redis://host:6379/0'],
    ["  ", "backend", 'the backend "  " is empty: give a file path, sqlite:///path.db or postgresql://…'],
    ["sqlite://", "broker", 'the broker "sqlite://" names no file: give sqlite:///relative/path.db or sqlite:////absolute/path.db'],
    ["sqlite:///", "backend", 'the backend "sqlite:///" names no file'],
    ["sqla+sqlite:///", "broker", "names no file"],
    ["sqlite:////", "broker", 'the broker "sqlite:////" names a folder, not a file'],
    ["data/", "backend", 'the backend "data/" names a folder, not a file'],
  ] as const)("refuses %j as a %s: it names no file (SQLite would say only \"unable to open database file\")", (value, role, message) => {
    expect(() => parseLocation(value, "/base", role as "broker")).toThrow(message);
    expect(() => parseLocation(value, "/base", role as "broker")).toThrow(OrchestraError);
  });

  it("keeps :memory: and plain files", () => {
    expect(parseLocation("sqlite://:memory:", "/base", "broker")).toEqual({ kind: "sqlite", path: ":memory:" });
    expect(parseLocation("sqlite:///o.db", "/base", "broker")).toEqual({ kind: "sqlite", path: "/base/o.db" });
  });

  it("refuses other schemes, saying what is supported", () => {
    expect(() => parseLocation("mysql://db/o", "/base", "backend")).toThrow(
      'unsupported backend "mysql://…": this version runs on SQLite (sqlite:///path.db or a file path) or PostgreSQL (postgresql://…)',
    );
  });
});


describe("Redis broker URLs", () => {
  it("reads host, port, database, credentials and BullMQ's key prefix", () => {
    expect(parseLocation("redis://user:s%40cret@cache.internal:6380/2?prefix=orchestra", "/base", "broker")).toEqual({
      kind: "redis",
      host: "cache.internal",
      port: 6380,
      db: 2,
      username: "user",
      password: "s@cret",
      tls: false,
      prefix: "orchestra",
      display: "redis://user:***@cache.internal:6380/2?prefix=orchestra",
    });
  });

  it("defaults to port 6379, database 0 and BullMQ's prefix `bull`; rediss:// is TLS", () => {
    expect(parseLocation("redis://127.0.0.1", "/base", "broker")).toMatchObject({ port: 6379, db: 0, prefix: "bull", tls: false });
    expect(parseLocation("rediss://[::1]:6390/0", "/base", "broker")).toMatchObject({ host: "::1", port: 6390, tls: true });
  });

  it.each([
    ["redis://host:6379/zero", /the database "zero" is not a number/],
    ["redis://host:6379/0?prefx=a", /: unknown option "prefx"; did you mean "prefix"\? \(expected redis:/],
    ["redis://host:6379/0?db=2", /: unknown option "db" \(only "prefix" is known\)/],
    ["redis://host/0?prefix=a:b", /the prefix "a:b"/],
    ["redis://:pw@host:notaport/0", /invalid Redis URL "redis:\/\/:\*\*\*@host:notaport\/0": not a URL/],
    ["redis://:pw@127.0.0.1:99999", /^invalid Redis URL "redis:\/\/:\*\*\*@127\.0\.0\.1:99999": the port 99999 is out of range \(1–65535\)/],
    ["rediss://[::1]:70000/0", /the port 70000 is out of range \(1–65535\)/],
    ["redis://host:0/0", /the port 0 is out of range \(1–65535\)/],
  ])("refuses %s with a configuration error that says why", (url, why) => {
    expect(() => parseLocation(url, "/base", "broker")).toThrow(why);
    expect(() => parseLocation(url, "/base", "broker")).toThrow(OrchestraError);
  });

  it("is not a backend: runs are kept in SQLite or PostgreSQL", () => {
    expect(() => parseLocation("redis://host/0", "/base", "backend")).toThrow(/cannot be the backend/);
  });
});

describe("pairing the broker and the store", () => {
  it("keeps the embedded queue and the store in one file", () => {
    expect(resolveLocations(undefined, undefined, "/base")).toEqual({ broker: { kind: "sqlite", path: "/base/orchestra.db" }, store: { kind: "sqlite", path: "/base/orchestra.db" } });
    expect(resolveLocations("sqlite:///q.db", undefined, "/base").store).toEqual({ kind: "sqlite", path: "/base/q.db" });
    expect(() => resolveLocations("/a.db", "/b.db", "/base")).toThrow(/share one SQLite file/);
  });

  it("with Redis, keeps the store in the backend, or orchestra.db in the default directory", () => {
    expect(resolveLocations("redis://h/0", "/srv/runs.db", "/base")).toMatchObject({ broker: { kind: "redis" }, store: { path: "/srv/runs.db" } });
    expect(resolveLocations("redis://h/0", undefined, "/cwd", "/schedules").store).toEqual({ kind: "sqlite", path: "/schedules/orchestra.db" });
    expect(resolveLocations("redis://h/0", "postgresql://db/o", "/base").store).toEqual({ kind: "postgres", url: "postgresql://db/o" });
  });

  it("refuses a PostgreSQL store without Redis: the embedded queue lives in a SQLite store's file", () => {
    expect(() => resolveLocations(undefined, "postgresql://db/o", "/base")).toThrow(/needs a Redis broker/);
    expect(() => resolveLocations("/q.db", "postgresql://db/o", "/base")).toThrow(/needs a Redis broker/);
  });
});
