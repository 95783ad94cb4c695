import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_CATCHUP, MISSED_POLICIES } from "../../../src/jobs/definition.ts";
import { MAX_CATCHUP, MAX_DELAY_SECONDS, MAX_PRIORITY, MAX_RETRIES, MAX_TIMEOUT_SECONDS, MIN_PRIORITY } from "../../../src/jobs/limits.ts";
import { MAX_LENGTH, PRINTABLE_PATTERN, TAG_PATTERN } from "../../../src/jobs/text.ts";
import { BLOCK_KEYS, JOB_KEYS, OPTION_KEYS, SCHEDULE_KEYS, type KeySet } from "../../../src/schedule/keys.ts";

interface PropertySchema {
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  default?: unknown;
  maxLength?: number;
  pattern?: string;
  items?: PropertySchema;
}

interface ObjectSchema {
  properties: Record<string, PropertySchema>;
  required?: string[];
  additionalProperties: boolean;
}

interface ScheduleSchema {
  $schema: string;
  $defs: Record<"block" | "job" | "schedule" | "additionalOptions", ObjectSchema>;
}

const read = (relative: string): string => readFileSync(new URL(relative, import.meta.url), "utf8");
const schema = JSON.parse(read("../../../schema/schedule.schema.json")) as ScheduleSchema;
const fixture = (name: string): unknown => parse(read(`../../fixtures/schedules/${name}`));

const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

describe("schema/schedule.schema.json, the published JSON Schema of the schedule format", () => {
  it("is a draft 2020-12 schema that a validator compiles in strict mode", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  });

  it.each(["seed.yaml", "features.yaml", "seed.json"])("accepts the valid fixture %s", (name) => {
    expect(validate(fixture(name)), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(["invalid/keys.yaml", "invalid/shape.yaml", "invalid/problems.json"])("rejects %s", (name) => {
    expect(validate(fixture(name))).toBe(false);
  });

  it("rejects max_catchup without missed: all, as the loader does", () => {
    const job = { name: "a", task: "t", schedule: { timing: "every hour" }, max_catchup: 5 };
    expect(validate([{ module: "./t.ts", schedules: [job] }])).toBe(false);
    expect(validate([{ module: "./t.ts", schedules: [{ ...job, missed: "all" }] }])).toBe(true);
  });
});

describe("the schema and the loader accept the same keys (they cannot drift apart)", () => {
  it.each<[keyof ScheduleSchema["$defs"], KeySet]>([
    ["block", BLOCK_KEYS],
    ["job", JOB_KEYS],
    ["schedule", SCHEDULE_KEYS],
    ["additionalOptions", OPTION_KEYS],
  ])("$defs.%s: same properties, same required ones, nothing else allowed", (name, keys) => {
    const definition = schema.$defs[name];
    expect(Object.keys(definition.properties).sort()).toEqual([...keys.keys].sort());
    expect([...(definition.required ?? [])].sort()).toEqual([...keys.required].sort());
    expect(definition.additionalProperties).toBe(false);
  });

  it("the same limits of texts: lengths, and no control characters (tags: no commas, no white space at either end)", () => {
    const { block, job, schedule: timing, additionalOptions } = schema.$defs;
    const texts: [PropertySchema | undefined, number, string | undefined][] = [
      [block.properties.module, MAX_LENGTH.module, PRINTABLE_PATTERN],
      [job.properties.name, MAX_LENGTH.name, PRINTABLE_PATTERN],
      [job.properties.task, MAX_LENGTH.task, PRINTABLE_PATTERN],
      [job.properties.tags?.items, MAX_LENGTH.tag, TAG_PATTERN],
      [timing.properties.timing, MAX_LENGTH.timing, undefined],
      [timing.properties.timezone, MAX_LENGTH.timezone, PRINTABLE_PATTERN],
      [additionalOptions.properties.queue, MAX_LENGTH.queue, PRINTABLE_PATTERN],
    ];
    for (const [property, maxLength, pattern] of texts) expect([property?.maxLength, property?.pattern]).toEqual([maxLength, pattern]);
    const job1 = { name: "a", task: "t", schedule: { timing: "every hour" } };
    expect(validate([{ module: "./t.ts", schedules: [{ ...job1, tags: ["a b"] }] }])).toBe(true);
    expect(validate([{ module: "./t.ts", schedules: [{ ...job1, tags: ["a,b"] }] }])).toBe(false);
    expect(validate([{ module: "./t.ts", schedules: [{ ...job1, name: "a\u0000b" }] }])).toBe(false);
  });

  it("the same limits of numbers", () => {
    const options = schema.$defs.additionalOptions.properties;
    const bounds = (property: PropertySchema | undefined): [number | undefined, number | undefined] => [property?.minimum, property?.maximum];
    expect(bounds(options.priority)).toEqual([MIN_PRIORITY, MAX_PRIORITY]);
    expect(bounds(options.retries)).toEqual([0, MAX_RETRIES]);
    expect(bounds(options.countdown)).toEqual([0, MAX_DELAY_SECONDS]);
    expect(options.expires?.maximum).toBe(MAX_DELAY_SECONDS);
    expect(options.timeout?.maximum).toBe(MAX_TIMEOUT_SECONDS);
    expect(bounds(schema.$defs.job.properties.max_catchup)).toEqual([1, MAX_CATCHUP]);
  });

  it("the same missed policies and defaults", () => {
    const job = schema.$defs.job.properties;
    expect(job.missed?.enum).toEqual(MISSED_POLICIES);
    expect(job.missed?.default).toBe("once");
    expect(job.max_catchup?.default).toBe(DEFAULT_MAX_CATCHUP);
    expect(job.enabled?.default).toBe(true);
    expect(schema.$defs.schedule.properties.timezone?.default).toBe("UTC");
  });
});
