// What the playground's editor knows about scenarios, with no DOM: every problem the CLI would report for a text
// (with its line and column), the key path at a cursor, and the field names the JSON Schema allows there. The
// JSON Schema is the one `lbsim schema` writes, generated from the zod schema, the only home of fields.
import { ScenarioError, type ScenarioIssue } from "../scenario/errors/scenario-error.js";
import { scenarioJsonSchema } from "../scenario/json-schema.js";
import { parseScenario } from "../scenario/load.js";

export type Schema = { properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[]; $ref?: string; description?: string; additionalProperties?: Schema | boolean };

/** Every problem the CLI would report for this text, or none. */
export function scenarioIssues(text: string, file: string): ScenarioIssue[] {
  try {
    parseScenario(text, file);
    return [];
  } catch (error) {
    if (error instanceof ScenarioError) return [...error.issues];
    return [{ file, line: 0, column: 0, path: "", message: error instanceof Error ? error.message : String(error), expected: "" }];
  }
}

/**
 * The keys that hold the cursor's line, read from indentation: under `clients:` / `  - name: x` / `    load:`, a
 * cursor at `      op|` is at ["clients", "[]", "load"] ("[]" is a list item).
 */
export function keyPathAt(text: string, offset: number): string[] {
  const lines = text.slice(0, offset).split("\n");
  const current = lines.pop() ?? "";
  const body = current.trimStart();
  let threshold = current.length - body.length;
  const path: string[] = [];
  if (body.startsWith("- ")) path.unshift("[]");
  for (let i = lines.length - 1; i >= 0 && threshold > 0; i--) {
    const line = lines[i]!;
    const b = line.trimStart();
    if (b === "" || b.startsWith("#")) continue;
    const indent = line.length - b.length;
    if (indent >= threshold) continue;
    const item = b.startsWith("- ");
    // A key whose value is the block below it (nothing but a comment after its colon) holds the lines under it.
    const key = /^(?:- )?([\w.-]+):\s*(?:#.*)?$/.exec(b);
    if (key !== null && (item ? indent + 2 : indent) < threshold) path.unshift(key[1]!);
    if (item) path.unshift("[]");
    threshold = indent;
  }
  return path;
}

export class SchemaCompleter {
  private readonly root: Schema;
  private readonly defs: Record<string, Schema>;

  constructor() {
    const schema = scenarioJsonSchema() as Schema & { $defs?: Record<string, Schema> };
    this.root = schema;
    this.defs = schema.$defs ?? {};
  }

  private resolve(node: Schema | undefined): Schema[] {
    if (node === undefined) return [];
    if (node.$ref !== undefined) return this.resolve(this.defs[node.$ref.replace("#/$defs/", "")]);
    const branches = [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])];
    return branches.length > 0 ? [node, ...branches.flatMap((b) => this.resolve(b))] : [node];
  }

  /** Field names (with their descriptions) that may stand at this key path. */
  fieldsAt(path: readonly string[]): Array<{ label: string; info: string }> {
    let nodes = this.resolve(this.root);
    for (const key of path) {
      nodes = nodes.flatMap((n) => (key === "[]" ? this.resolve(n.items) : this.resolve(n.properties?.[key])));
    }
    const fields = new Map<string, string>();
    for (const n of nodes) for (const [name, prop] of Object.entries(n.properties ?? {})) if (!fields.has(name)) fields.set(name, this.resolve(prop).find((p) => p.description)?.description ?? "");
    return [...fields].map(([label, info]) => ({ label, info }));
  }
}
