// Two ways a YAML document can attack its reader rather than describe a scenario, each turned into a user
// error (exit 2) with a position instead of a library stack trace or a silent change:
// - an alias bomb ("billion laughs"): a few lines whose aliases expand exponentially. The `yaml` package stops
//   at `maxAliasCount` expansions with a ReferenceError; we say "too many aliases" and point at the first one.
// - a `__proto__` key: `yaml` keeps it as an own property, but zod drops it from free-form mappings (a variant's
//   `set:`) without a word, and any plain assignment of it would swap an object's prototype. No scenario field
//   has that name, so it is refused wherever it appears.
import { isAlias, visit, type Document, type LineCounter } from "yaml";
import type { ScenarioIssue } from "./scenario-error.js";
import { locate, positionOf } from "./yaml-locate.js";

/** At most this many alias expansions while converting a document to data: generous for hand-written anchors. */
export const MAX_ALIAS_EXPANSIONS = 1000;

/** The document as plain data, or the alias-bomb issue. */
export function documentData(doc: Document, lines: LineCounter, file: string): { data: unknown } | { issue: ScenarioIssue } {
  try {
    return { data: doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS }) as unknown };
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    let offset = 0;
    visit(doc, { Alias(_key, node) {
      if (isAlias(node)) offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    } });
    const pos = positionOf(lines, offset);
    const message = `too many aliases: expanding them passes ${MAX_ALIAS_EXPANSIONS} copies (an alias bomb?)`;
    return { issue: { file, ...pos, path: "", message, expected: `a document whose aliases expand to at most ${MAX_ALIAS_EXPANSIONS} copies` } };
  }
}

/** Every own `__proto__` key in `data`, as issues at the key's position. Iterative: deep documents cannot overflow the stack. */
export function prototypeKeyIssues(data: unknown, doc: Document, lines: LineCounter, file: string): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const seen = new Set<object>();
  const pending: Array<{ node: unknown; path: Array<string | number> }> = [{ node: data, path: [] }];
  while (pending.length > 0) {
    const { node, path } = pending.pop()!;
    if (node === null || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((item, i) => pending.push({ node: item, path: [...path, i] }));
      continue;
    }
    for (const key of Object.keys(node)) {
      const child = [...path, key];
      if (key === "__proto__") {
        issues.push({ file, ...locate(doc, lines, child, true), path: child.join("."), message: "unknown key `__proto__`: no scenario field has this name", expected: "a field of the scenario" });
      } else {
        pending.push({ node: (node as Record<string, unknown>)[key], path: child });
      }
    }
  }
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}
