import type { TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { ValueErrorType, type ValueError } from "@sinclair/typebox/errors";
import { Value } from "@sinclair/typebox/value";
import type { FastifySchemaCompiler, FastifySchemaValidationError } from "fastify";
import { maximumText } from "../jobs/limits.ts";
import { suggest } from "../timing/suggest.ts";
import { PATTERN_MESSAGES } from "./schemas.ts";

/**
 * Fastify's validator for the TypeBox schemas. Query strings and path parameters are text, converted
 * to the schema's types first (`page=2`, `anyTag=true`, one `tags=a` as a list); a JSON body is taken
 * as it is, so `"priority": "5"` is refused rather than guessed at. Every problem is reported, once per
 * field, in words a person can act on: `is required`, `must be one of: skip, once, all`,
 * `is not a known field; did you mean "timezone"?`.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  return (value: unknown) => {
    const converted = httpPart === "body" ? value : fromText(schema, value);
    if (check.Check(converted)) return { value: converted };
    const problems = new Map<string, FastifySchemaValidationError>();
    for (const error of check.Errors(converted)) {
      if (problems.has(error.path)) continue;
      problems.set(error.path, { keyword: ValueErrorType[error.type], instancePath: error.path, schemaPath: "", params: {}, message: messageOf(error) });
    }
    return { error: [...problems.values()] };
  };
};

/**
 * The query string's or the path's values converted to the schema's types. TypeBox truncates `1.5`
 * to an integer; such a value is left as text here, so that it is refused rather than guessed at.
 */
function fromText(schema: TSchema, value: unknown): unknown {
  const original = isRecord(value) ? { ...value } : value; // Convert changes the object it is given
  const converted = Value.Convert(schema, value);
  const properties: unknown = schema.properties;
  if (!isRecord(original) || !isRecord(converted) || !isRecord(properties)) return converted;
  for (const [key, property] of Object.entries(properties)) {
    const text = original[key];
    if (isRecord(property) && property.type === "integer" && typeof text === "string" && !/^\s*[+-]?\d+\s*$/.test(text)) converted[key] = text;
  }
  return converted;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function messageOf(error: ValueError): string {
  const schema: Record<string, unknown> = error.schema;
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return "is required";
    case ValueErrorType.ObjectAdditionalProperties: {
      const name = error.path.split("/").pop() ?? "";
      const known = typeof schema.properties === "object" && schema.properties !== null ? Object.keys(schema.properties) : [];
      const close = suggest(name, known);
      return `is not a known field${close === undefined ? "" : `; did you mean "${close}"?`}`;
    }
    case ValueErrorType.Union: {
      const options = Array.isArray(schema.anyOf) ? (schema.anyOf as Record<string, unknown>[]) : [];
      const literals = options.map((option) => option.const);
      return literals.every((literal) => typeof literal === "string") ? `must be one of: ${literals.join(", ")}` : error.message;
    }
    case ValueErrorType.StringPattern:
      return (typeof schema.pattern === "string" ? PATTERN_MESSAGES[schema.pattern] : undefined) ?? error.message;
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.IntegerMaximum:
      return typeof schema.maximum === "number" ? `must be at most ${maximumText(schema.maximum)}` : error.message;
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.IntegerMinimum:
      return typeof schema.minimum === "number" ? `must be at least ${schema.minimum}` : error.message;
    case ValueErrorType.NumberExclusiveMinimum:
      return typeof schema.exclusiveMinimum === "number" ? `must be more than ${schema.exclusiveMinimum}` : error.message;
    case ValueErrorType.StringMaxLength:
      return typeof schema.maxLength === "number" ? `must be at most ${schema.maxLength} characters long` : error.message;
    case ValueErrorType.StringMinLength:
      return schema.minLength === 1 ? "must not be empty" : error.message;
    default:
      return error.message;
  }
}
