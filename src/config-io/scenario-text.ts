// An import written out as a scenario file: the `lb` and `backends` sections with a comment on each line naming
// the directive and source line it came from, a placeholder `clients` section to replace with real traffic, and
// the directives that were not modelled or have no bearing on balancing, each with its line, as a header.
import { basename } from "node:path";
import type { DraftBackend, ImportDraft, Origin } from "./import-draft.js";
import type { NotCarried } from "./types.js";

const PROXY_TITLES: Readonly<Record<string, string>> = { haproxy: "HAProxy", nginx: "NGINX", envoy: "Envoy", "aws-alb": "AWS ALB" };

/** The placeholder traffic: a steady open-loop load small enough for any tier (edit it before trusting a run). */
export const PLACEHOLDER_CLIENTS = [
  "clients:                          # PLACEHOLDER traffic: replace with yours (rate, request mix, timeouts)",
  "  - name: users",
  "    count: 1000                   # distinct client addresses",
  "    load: { open: { poisson: 200/s } }",
  "    classes:",
  "      - { name: request, demand: { lognormal: { mean: 20ms, p99: 120ms } } }",
  "    timeout: 30s",
];

export function scenarioText(draft: ImportDraft): string {
  const file = basename(draft.file);
  const title = PROXY_TITLES[draft.proxy] ?? draft.proxy;
  const where = (from: Origin): string => (from.line > 0 ? `${file}:${from.line}` : file);
  const out: string[] = [
    `# Imported by lbsim from ${file} (${title}). Fill in the clients section with your traffic, then:`,
    `#   lbsim run <this file>       or       lbsim predict ${file}`,
    ...listing("Not modelled (these change what the proxy does; lbsim cannot, so predictions may differ)", draft.notModelled, where),
    ...listing("Ignored (no bearing on balancing)", draft.ignored, where),
    `name: ${draft.name}`,
    `description: Imported from ${file}.`,
    "duration: 60s",
    "",
    ...PLACEHOLDER_CLIENTS,
    "",
    "lb:",
    `  proxy: ${draft.proxy}${pad(`  proxy: ${draft.proxy}`)}# every field not set below takes ${title}'s default`,
    ...lbLines(draft, where),
    "",
    "backends:",
    ...draft.backends.flatMap((b) => backendLines(b, where)),
    "",
  ];
  return out.join("\n");
}

function listing(heading: string, items: readonly NotCarried[], where: (from: Origin) => string): string[] {
  if (items.length === 0) return [];
  return [`# ${heading}:`, ...items.map((n) => `#   ${where({ line: n.line, directive: n.what })} ${n.what}: ${n.why}`)];
}

const COMMENT_COLUMN = 44;

function pad(line: string): string {
  return " ".repeat(Math.max(2, COMMENT_COLUMN - line.length));
}

function commented(line: string, from: Origin, where: (from: Origin) => string): string {
  return `${line}${pad(line)}# ${where(from)} ${oneLine(from.directive)}`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 100 ? `${flat.slice(0, 97)}...` : flat;
}

/** Nested YAML for the dotted paths, each leaf on its own line with its origin. */
function lbLines(draft: ImportDraft, where: (from: Origin) => string): string[] {
  interface Node { children: Map<string, Node>; leaf?: { value: unknown; from: Origin } }
  const root: Node = { children: new Map() };
  for (const [path, entry] of draft.lb) {
    let node = root;
    for (const part of path.split(".")) {
      if (!node.children.has(part)) node.children.set(part, { children: new Map() });
      node = node.children.get(part)!;
    }
    node.leaf = entry;
  }
  const lines: string[] = [];
  const walk = (node: Node, indent: string): void => {
    for (const [key, child] of node.children) {
      if (child.leaf !== undefined) lines.push(commented(`${indent}${key}: ${flow(child.leaf.value)}`, child.leaf.from, where));
      else {
        lines.push(`${indent}${key}:`);
        walk(child, `${indent}  `);
      }
    }
  };
  walk(root, "  ");
  return lines;
}

function backendLines(b: DraftBackend, where: (from: Origin) => string): string[] {
  const lines = [commented(`  - name: ${b.name}`, { ...b.from, directive: b.from.directive }, where)];
  if (b.weight !== 1) lines.push(`    weight: ${b.weight}`);
  if (b.backup) lines.push("    backup: true");
  return lines;
}

/** A value in YAML flow style: `least-connections`, `[error, timeout]`, `{ sticky: { ttl: 30m } }`. */
export function flow(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return /^[a-z0-9][a-z0-9_./%-]*$/i.test(value) && !/^(true|false|null|yes|no|on|off)$/i.test(value) ? value : JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(flow).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length === 0 ? "{}" : `{ ${entries.map(([k, v]) => `${k}: ${flow(v)}`).join(", ")} }`;
}
