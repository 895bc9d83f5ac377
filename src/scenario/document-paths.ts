// Dotted paths into the raw document, as variants and `--set` write them: `lb.health.probe`, `clients.0.timeout`,
// and list elements by name, `backends.app.workers` (the element whose `name` is `app`). Setting a path returns
// it in index form so errors found later can be traced back to the override that caused them.
import type { z } from "zod";
import { didYouMean } from "./errors/did-you-mean.js";
import { isOpenAt, keysAt, schemasAt } from "./errors/schema-walk.js";

export type DocPath = Array<string | number>;

/**
 * Keys that would reach an object's prototype instead of a field: refused in every path, even below a free-form
 * mapping, so `--set __proto__.x=1` is an unknown path (exit 2), never a change to Object.prototype.
 */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export type SetResult = { path: DocPath } | { problem: string; expected: string; didYouMean?: string };

/** Sets `dotted` to `value` in `data` (mutating it), after checking the path exists in `schema`. */
export function setPath(data: Record<string, unknown>, dotted: string, value: unknown, schema: z.ZodType): SetResult {
  const segments = dotted.split(".");
  if (segments.some((s) => s.length === 0)) return { problem: `expected a dotted path such as lb.health.rise, got "${dotted}"`, expected: "a dotted path such as lb.health.rise" };
  const forbidden = segments.find((s) => FORBIDDEN_KEYS.has(s));
  if (forbidden !== undefined) return { problem: `unknown path \`${dotted}\`: \`${forbidden}\` is no field of a scenario`, expected: "a dotted path such as lb.health.rise" };
  const path: DocPath = [];
  let node: unknown = data;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (Array.isArray(node)) {
      const index = /^\d+$/.test(segment) ? Number(segment) : node.findIndex((item) => isRecord(item) && item.name === segment);
      if (index < 0 || index >= node.length) {
        const names = node.filter(isRecord).map((item) => String(item.name));
        const result: SetResult = { problem: `expected an index below ${node.length} or an element name (${names.join(", ")}) in ${path.join(".")}, got "${segment}"`, expected: `an index or element name in ${path.join(".")}` };
        const suggestion = didYouMean(segment, names);
        return suggestion === undefined ? result : { ...result, didYouMean: suggestion };
      }
      path.push(index);
    } else {
      if (!isOpenAt(schema, path) && schemasAt(schema, [...path, segment]).length === 0) {
        const allowed = keysAt(schema, path);
        const where = path.length === 0 ? "the top level" : path.join(".");
        const result: SetResult = { problem: `unknown path \`${dotted}\`: no key \`${segment}\` in ${where}`, expected: `one of the keys ${allowed.join(", ")}` };
        const suggestion = didYouMean(segment, allowed);
        return suggestion === undefined ? result : { ...result, didYouMean: suggestion };
      }
      path.push(segment);
    }
    const key = path[path.length - 1]!;
    const container = node as Record<string | number, unknown>;
    if (last) {
      container[key] = value;
    } else {
      if (!isRecord(container[key]) && !Array.isArray(container[key])) container[key] = {};
      node = container[key];
    }
  }
  return { path };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** True when `prefix` is a prefix of `path`. */
export function startsWith(path: readonly (string | number)[], prefix: readonly (string | number)[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => String(path[i]) === String(segment));
}
