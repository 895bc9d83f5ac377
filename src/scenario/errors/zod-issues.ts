// Turns zod's issues into sentences a scenario author can act on: "expected an integer >= 1, got 0", "unknown
// key `rize`", "expected one of tcp, http, deep, got "htp"". Unknown keys become one issue per key, pointing
// at the key; a union's issues are narrowed to the branch the author evidently meant (an object given where a
// name or a mapping is allowed is checked as a mapping).
import type { z } from "zod";
import { describeValue } from "../units/issue.js";
import { didYouMean } from "./did-you-mean.js";
import { isIntegerAt, keysAt } from "./schema-walk.js";

export interface RawIssue {
  path: Array<string | number>;
  message: string;
  expected: string;
  didYouMean?: string;
  /** Point at the key rather than its value (unknown keys). */
  atKey: boolean;
}

type Issue = z.core.$ZodIssue;

/** The value at `path` in the validated data, for "got ..." (undefined when absent). */
export function valueAt(data: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return node;
}

export function convertIssues(issues: readonly Issue[], schema: z.ZodType, data: unknown, prefix: ReadonlyArray<PropertyKey> = []): RawIssue[] {
  const unknownKeyAt = new Set(issues.filter((i) => i.code === "unrecognized_keys").map((i) => toPath(i.path).join(".")));
  const kept = issues.filter((i) => !(i.code === "custom" && (i.params as { unlessUnknownKey?: boolean } | undefined)?.unlessUnknownKey === true && unknownKeyAt.has(toPath(i.path).join("."))));
  return kept.flatMap((issue) => convert(issue, schema, data, [...prefix, ...issue.path]));
}

function toPath(path: ReadonlyArray<PropertyKey>): Array<string | number> {
  return path.map((p) => (typeof p === "number" ? p : String(p)));
}

function convert(issue: Issue, schema: z.ZodType, data: unknown, fullPath: ReadonlyArray<PropertyKey>): RawIssue[] {
  const path = toPath(fullPath);
  const input = valueAt(data, path);
  const got = input === undefined ? "nothing (this field is required)" : describeValue(input);
  const make = (expected: string, extra: Partial<RawIssue> = {}): RawIssue[] => [{ path, message: `expected ${expected}, got ${got}`, expected, atKey: false, ...extra }];
  switch (issue.code) {
    case "unrecognized_keys": {
      const allowed = keysAt(schema, path);
      return issue.keys.map((key) => {
        const suggestion = didYouMean(key, allowed);
        const raw: RawIssue = { path: [...path, key], message: `unknown key \`${key}\``, expected: `one of the keys ${allowed.join(", ")}`, atKey: true };
        if (suggestion !== undefined) raw.didYouMean = suggestion;
        return raw;
      });
    }
    case "invalid_union":
      return convertUnion(issue, schema, data, fullPath);
    case "custom": {
      const params = (issue.params ?? {}) as { expected?: string; didYouMean?: string };
      const raw: RawIssue = { path, message: issue.message, expected: params.expected ?? issue.message.replace(/^expected /, ""), atKey: false };
      if (params.didYouMean !== undefined) raw.didYouMean = params.didYouMean;
      return [raw];
    }
    case "invalid_value": {
      const values = issue.values.map(String);
      const extra: Partial<RawIssue> = {};
      const suggestion = typeof input === "string" ? didYouMean(input, values) : undefined;
      if (suggestion !== undefined) extra.didYouMean = suggestion;
      return make(`one of ${values.join(", ")}`, extra);
    }
    case "invalid_type":
      if (issue.message.startsWith("expected ")) return make(issue.message.slice("expected ".length));
      return make(typeWord(issue.expected, isIntegerAt(schema, path)));
    case "too_small":
    case "too_big":
      // A bound with its reason (schema/bounds.ts) words its own message; zod's defaults start "Too big:".
      if (issue.message.startsWith("expected ")) return make(issue.message.slice("expected ".length));
      return make(sizeWord(issue, isIntegerAt(schema, path)));
    default:
      if (issue.message.startsWith("expected ")) return make(issue.message.slice("expected ".length));
      return [{ path, message: issue.message, expected: issue.message, atKey: false }];
  }
}

function typeWord(expected: string, integer: boolean): string {
  switch (expected) {
    case "number":
      return integer ? "an integer" : "a number";
    case "int":
      return "an integer";
    case "string":
      return "a string";
    case "boolean":
      return "true or false";
    case "object":
      return "a mapping";
    case "array":
      return "a list";
    case "null":
      return "nothing (null)";
    default:
      return expected;
  }
}

function sizeWord(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, integer: boolean): string {
  const small = issue.code === "too_small";
  const limit = small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum;
  const inclusive = issue.inclusive !== false;
  const op = small ? (inclusive ? ">=" : ">") : inclusive ? "<=" : "<";
  switch (issue.origin) {
    case "array":
    case "set":
      return small ? `at least ${limit} item${Number(limit) === 1 ? "" : "s"}` : `at most ${limit} items`;
    case "string":
      return small ? (Number(limit) === 1 ? "a non-empty string" : `at least ${limit} characters`) : `at most ${limit} characters`;
    default:
      return `${integer ? "an integer" : "a number"} ${op} ${String(limit)}`;
  }
}

/** Narrows a union failure to the branch that got furthest, or says what each branch wanted. */
function convertUnion(issue: z.core.$ZodIssueInvalidUnion, schema: z.ZodType, data: unknown, fullPath: ReadonlyArray<PropertyKey>): RawIssue[] {
  const branches = issue.errors;
  const typeMismatch = (list: readonly Issue[]) => list.length > 0 && list.every((i) => i.path.length === 0 && (i.code === "invalid_type" || (i.code === "invalid_union" && i.errors.length === 0)));
  const meant = branches.find((list) => !typeMismatch(list));
  if (meant !== undefined) return meant.flatMap((i) => convert(i, schema, data, [...fullPath, ...i.path]));
  const path = toPath(fullPath);
  const input = valueAt(data, path);
  const wants = new Set<string>();
  for (const list of branches) {
    for (const i of list) {
      if (i.code === "invalid_type") wants.add(i.message.startsWith("expected ") ? i.message.slice("expected ".length) : typeWord(i.expected, false));
    }
  }
  const expected = [...wants].join(" or ") || "a different value";
  const got = input === undefined ? "nothing (this field is required)" : describeValue(input);
  return [{ path, message: `expected ${expected}, got ${got}`, expected, atKey: false }];
}
