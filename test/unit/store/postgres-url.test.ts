import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../../src/errors/error-code.ts";
import { OrchestraError } from "../../../src/errors/orchestra-error.ts";
import { parsePostgresUrl } from "../../../src/store/postgres/url.ts";

describe("a PostgreSQL store URL", () => {
  it("names the schema with ?schema=, else public; the driver gets it as the connections' search_path", () => {
    expect(parsePostgresUrl("postgresql://app@db:5432/orchestra?schema=prod")).toEqual({
      connectionString: "postgresql://app@db:5432/orchestra?options=-c+search_path%3Dprod",
      schema: "prod",
      display: "postgresql://app@db:5432/orchestra?schema=prod",
    });
    expect(parsePostgresUrl("postgres://app@db/orchestra").schema).toBe("public");
  });

  it("lets an explicit schema win over the URL's", () => {
    expect(parsePostgresUrl("postgresql://db/o?schema=a", "b").schema).toBe("b");
  });

  it("passes the driver's own parameters on, adding to its startup options", () => {
    const { connectionString } = parsePostgresUrl("postgresql:///o?host=/run/postgresql&sslmode=disable&options=-c%20statement_timeout%3D5000");
    const params = new URL(connectionString).searchParams;
    expect(params.get("host")).toBe("/run/postgresql");
    expect(params.get("sslmode")).toBe("disable");
    expect(params.get("options")).toBe("-c statement_timeout=5000 -c search_path=public");
  });

  it("says a port is out of range rather than that the URL is invalid", () => {
    expect(() => parsePostgresUrl("postgresql://app:s3cret@127.0.0.1:99999/test")).toThrow(
      new OrchestraError(ErrorCode.Config, 'invalid PostgreSQL URL "postgresql://app:***@127.0.0.1:99999/test": the port 99999 is out of range (1–65535)'),
    );
    expect(() => parsePostgresUrl("postgres://[::1]:0/test")).toThrow("the port 0 is out of range (1–65535)");
    expect(parsePostgresUrl("postgresql://db:65535/o").display).toBe("postgresql://db:65535/o?schema=public");
  });

  it("refuses a parameter neither Orchestra nor the driver reads (a typo put the tables in public), with a did-you-mean", () => {
    expect(() => parsePostgresUrl("postgresql://postgres:pw@127.0.0.1:5432/test?schem=qa")).toThrow(
      new OrchestraError(ErrorCode.Config, 'invalid PostgreSQL URL "postgresql://postgres:***@127.0.0.1:5432/test?schem=qa": unknown parameter "schem"; did you mean "schema"?'),
    );
    expect(() => parsePostgresUrl("postgresql://db/o?ssl_mode=disable")).toThrow('unknown parameter "ssl_mode"; did you mean "sslmode"?');
    expect(() => parsePostgresUrl("postgresql://db/o?connect_timeout=5")).toThrow(/unknown parameter "connect_timeout" \(known: schema, host, port, .*, query_timeout, binary, replication\)$/);
    expect(parsePostgresUrl("postgresql://db/o?sslmode=disable&application_name=x&statement_timeout=5000&schema=s").schema).toBe("s");
  });

  it("masks the password in the name it shows", () => {
    const address = parsePostgresUrl("postgresql://app:s3cret@db/o");
    expect(address.display).toBe("postgresql://app:***@db/o?schema=public");
    expect(address.connectionString).toContain("app:s3cret@");
  });

  it.each([
    ["Prod", "invalid PostgreSQL schema name \"Prod\""],
    ["1st", "invalid PostgreSQL schema name \"1st\""],
    ["a;drop", "invalid PostgreSQL schema name \"a;drop\""],
  ])("refuses the schema name %s", (schema, message) => {
    expect(() => parsePostgresUrl(`postgresql://db/o?schema=${encodeURIComponent(schema)}`)).toThrow(message);
  });

  it("refuses what is not a PostgreSQL URL, without echoing a password", () => {
    expect(() => parsePostgresUrl("mysql://db/o")).toThrow(OrchestraError);
    expect(() => parsePostgresUrl("postgresql://app:s3cret@[bad/o")).toThrow(/^not a PostgreSQL URL: "postgresql:\/\/app:\*\*\*@\[bad\/o"/);
  });
});
