// Loading a scenario: read YAML or JSON, apply `--set` overrides and variants to the raw document, validate
// the base document and every variant, and report every problem at once with file, line and column. Errors
// are ScenarioErrors (user errors, exit code 2, no stack trace); nothing here writes anything.
import { readFileSync, statSync } from "node:fs";
import { extname } from "node:path";
import { LineCounter, parse as parseYamlValue, parseDocument, type Document } from "yaml";
import { setPath, startsWith, type DocPath } from "./document-paths.js";
import { didYouMean } from "./errors/did-you-mean.js";
import { ScenarioError, type ScenarioIssue } from "./errors/scenario-error.js";
import { documentData, prototypeKeyIssues } from "./errors/hostile-yaml.js";
import { locate, positionOf } from "./errors/yaml-locate.js";
import { convertIssues, type RawIssue } from "./errors/zod-issues.js";
import type { z } from "zod";
import { MAX_FILE_BYTES } from "./schema/bounds.js";
import { scenarioDocument, scenarioSchema, type ScenarioConfig } from "./schema/scenario.js";
import type { Variant } from "./schema/variants.js";

export interface LoadOptions {
  /**
   * `path=value` overrides, the value read as YAML (`lb.health.rise=5`, `lb.algorithm={peak-ewma: {}}`). They
   * change the scenario as written; a variant that sets the same path (or a path inside it, or around it) keeps
   * its own value, so a column is always the variant it is named after. `setAside` lists where that happened.
   */
  set?: readonly string[];
  /** More overrides, applied after `set` and named `--vary` in messages (a sweep's grid values). */
  vary?: readonly string[];
  /** Keep only this variant (it must exist). */
  variant?: string;
}

export interface ResolvedVariant {
  name: string;
  description: string;
  config: ScenarioConfig;
}

export interface LoadedScenario {
  file: string;
  /** The scenario as written (plus `--set` overrides), no variant applied. */
  base: ScenarioConfig;
  /** Every variant (or only the one asked for), each validated as a whole scenario. */
  variants: ResolvedVariant[];
  /** Overrides that some variants did not take because they set the same path themselves. */
  setAside: SetAside[];
}

/** An override that these variants did not take: each sets its path (or part of it) itself. */
export interface SetAside {
  /** The override with its flag, `--set lb.health.probe=http`. */
  override: string;
  variants: string[];
}

/** Where an override came from, to point errors in overridden values at the override. */
interface Override {
  path: DocPath;
  /** For a command-line override: the flag and entry as given, `--set lb.health.rise=5`. */
  given?: string;
  file: string;
  line: number;
  column: number;
  note: string;
}

interface Source {
  file: string;
  doc: Document;
  lines: LineCounter;
  data: Record<string, unknown>;
}

export function loadScenario(file: string, options: LoadOptions = {}): LoadedScenario {
  let text: string;
  try {
    // Refuse a huge file before reading it: parsing 50 MB of YAML took minutes and 3 GB.
    const bytes = statSync(file).size;
    if (bytes > MAX_FILE_BYTES) throw new ScenarioError([tooLarge(file, bytes)]);
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    throw new ScenarioError([{ file, line: 0, column: 0, path: "", message: `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, expected: "a readable YAML or JSON file" }]);
  }
  return parseScenario(text, file, options);
}

/** The same as loadScenario for text already in memory (tests, `lbsim init`); `file` names it in messages. */
export function parseScenario(text: string, file: string, options: LoadOptions = {}): LoadedScenario {
  // TextEncoder, not Buffer: this also runs in the browser playground.
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_FILE_BYTES) throw new ScenarioError([tooLarge(file, bytes)]);
  const source = readSource(text, file);
  const flagged = [...(options.set ?? []).map((entry) => ({ flag: "--set", entry })), ...(options.vary ?? []).map((entry) => ({ flag: "--vary", entry }))];
  const cliOverrides = applyCliSets(source, flagged);
  // Every problem at once: the variants are checked even when the scenario as written is not valid, and the
  // same problem seen again through a variant is reported once.
  const issues: ScenarioIssue[] = [];
  let base: ScenarioConfig | undefined;
  let declared: Variant[];
  try {
    base = validate(source, source.data, cliOverrides, null);
    declared = base.variants;
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    issues.push(...error.issues);
    const alone = scenarioDocument.shape.variants.safeParse(source.data.variants);
    declared = alone.success ? alone.data : [];
  }
  const wanted = options.variant;
  if (wanted !== undefined) {
    const names = declared.map((v) => v.name);
    if (!names.includes(wanted)) {
      const issue: ScenarioIssue = { file, line: 0, column: 0, path: "variants", message: `expected a variant of this scenario (${names.join(", ") || "it has none"}), got "${wanted}"`, expected: "a variant of this scenario" };
      const suggestion = didYouMean(wanted, names);
      if (suggestion !== undefined) issue.didYouMean = suggestion;
      issues.push(issue);
    }
  }
  const variants: ResolvedVariant[] = [];
  const setAside: SetAside[] = [];
  declared.forEach((variant, index) => {
    if (wanted !== undefined && variant.name !== wanted) return;
    try {
      // The variant applies over the scenario as the command line left it, so where both set a path the
      // variant's own value wins: a column named "tcp" always runs TCP checks, whatever --set said.
      const data = structuredClone(source.data);
      const overrides = applyVariantSets(source, data, index, variant.name, variant.set, issues);
      const taken: Override[] = [];
      for (const cli of cliOverrides) {
        if (!overrides.some((o) => startsWith(o.path, cli.path) || startsWith(cli.path, o.path))) {
          taken.push(cli);
          continue;
        }
        noteSetAside(setAside, cli.given!, variant.name);
      }
      const config = validate(source, data, [...overrides, ...taken], variant.name);
      variants.push({ name: variant.name, description: variant.description, config });
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      issues.push(...error.issues);
    }
  });
  if (issues.length > 0 || base === undefined) throw new ScenarioError(uniqueIssues(issues));
  return { file, base, variants, setAside };
}

/** A scenario of `bytes` bytes, past MAX_FILE_BYTES. */
export function tooLarge(file: string, bytes: number): ScenarioIssue {
  const expected = `a file of at most 1 MB, ${MAX_FILE_BYTES.toLocaleString("en-US")} bytes (a hand-written scenario is a few KB)`;
  return { file, line: 0, column: 0, path: "", message: `expected ${expected}, got ${bytes.toLocaleString("en-US")} bytes`, expected };
}

function readSource(text: string, file: string): Source {
  const lines = new LineCounter();
  if (extname(file).toLowerCase() === ".json") checkJson(text, file);
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(doc.errors.map((error) => {
      const pos = positionOf(lines, error.pos[0]);
      const message = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
      return { file, line: pos.line, column: pos.column, path: "", message: `syntax error: ${message}`, expected: "valid YAML" };
    }));
  }
  const converted = documentData(doc, lines, file);
  if ("issue" in converted) throw new ScenarioError([converted.issue]);
  const data = converted.data;
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new ScenarioError([{ file, line: 1, column: 1, path: "", message: "expected a mapping with name, clients, lb and backends sections", expected: "a mapping" }]);
  }
  const prototypeKeys = prototypeKeyIssues(data, doc, lines, file);
  if (prototypeKeys.length > 0) throw new ScenarioError(prototypeKeys);
  return { file, doc, lines, data: data as Record<string, unknown> };
}

/** JSON files must be strict JSON; the YAML parser (a JSON superset) then supplies positions. */
function checkJson(text: string, file: string): void {
  try {
    JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const offset = at === null ? 0 : Number(at[1]);
    const before = text.slice(0, offset).split("\n");
    throw new ScenarioError([{ file, line: before.length, column: before[before.length - 1]!.length + 1, path: "", message: `syntax error: ${message.replace(/ in JSON at position.*$/, "")}`, expected: "valid JSON" }]);
  }
}

/** One line per problem: a base problem seen again in each variant is the same problem. */
function uniqueIssues(issues: readonly ScenarioIssue[]): ScenarioIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.file}:${issue.line}:${issue.column}:${issue.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function noteSetAside(list: SetAside[], override: string, variant: string): void {
  const known = list.find((a) => a.override === override);
  if (known === undefined) list.push({ override, variants: [variant] });
  else known.variants.push(variant);
}

function applyCliSets(source: Source, sets: ReadonlyArray<{ flag: string; entry: string }>): Override[] {
  const overrides: Override[] = [];
  const issues: ScenarioIssue[] = [];
  for (const { flag, entry } of sets) {
    const eq = entry.indexOf("=");
    const where = `${flag} ${entry}`;
    if (eq <= 0) {
      issues.push({ file: where, line: 0, column: 0, path: "", message: "expected path=value, such as lb.health.rise=3", expected: "path=value" });
      continue;
    }
    const dotted = entry.slice(0, eq).trim();
    let value: unknown;
    try {
      value = parseYamlValue(entry.slice(eq + 1));
    } catch {
      value = entry.slice(eq + 1);
    }
    const result = setPath(source.data, dotted, value, scenarioDocument);
    if ("path" in result) overrides.push({ path: result.path, given: where, file: source.file, line: 0, column: 0, note: `set by ${where}` });
    else issues.push(withHint({ file: where, line: 0, column: 0, path: dotted, message: result.problem, expected: result.expected }, result.didYouMean));
  }
  if (issues.length > 0) throw new ScenarioError(issues);
  return overrides;
}

function applyVariantSets(source: Source, data: Record<string, unknown>, index: number, name: string, sets: Record<string, unknown>, issues: ScenarioIssue[]): Override[] {
  const overrides: Override[] = [];
  const before = issues.length;
  for (const [dotted, value] of Object.entries(sets)) {
    const keyPos = locate(source.doc, source.lines, ["variants", index, "set", dotted], true);
    const valuePos = locate(source.doc, source.lines, ["variants", index, "set", dotted], false);
    const result = setPath(data, dotted, structuredClone(value), scenarioDocument);
    if ("path" in result) {
      overrides.push({ path: result.path, file: source.file, line: valuePos.line, column: valuePos.column, note: `set by variant ${name}` });
    } else {
      issues.push(withHint({ file: source.file, ...keyPos, path: `variants.${index}.set`, message: result.problem, expected: result.expected }, result.didYouMean));
    }
  }
  if (issues.length > before) throw new ScenarioError([]);
  return overrides;
}

function withHint(issue: ScenarioIssue, hint: string | undefined): ScenarioIssue {
  if (hint !== undefined) issue.didYouMean = hint;
  return issue;
}

function validate(source: Source, data: Record<string, unknown>, overrides: readonly Override[], variant: string | null): ScenarioConfig {
  const result = scenarioSchema.safeParse(data);
  if (result.success) return result.data;
  const raw = convertIssues([...result.error.issues, ...crossSectionIssues(data)], scenarioDocument, data);
  throw new ScenarioError(raw.map((issue) => place(source, issue, overrides, variant)));
}

/** The sections the cross-section checks (timeline targets, expectations) read; see schema/resolve.ts. */
const CROSS_SECTION_INPUTS = new Set(["clients", "backends", "timeline", "variants", "expect", "duration", "warmup"]);

/**
 * zod runs the cross-section checks only on a valid document, so a typo in `lb` would hide a timeline target
 * that does not exist. When every section those checks read is valid on its own, run them with the failing
 * sections left out (they take their defaults; their own problems are already reported).
 */
function crossSectionIssues(data: Record<string, unknown>): z.core.$ZodIssue[] {
  const shape = scenarioDocument.shape as Record<string, z.ZodType>;
  const failing = Object.keys(shape).filter((key) => !shape[key]!.safeParse(data[key]).success);
  if (failing.length === 0 || failing.some((key) => CROSS_SECTION_INPUTS.has(key))) return [];
  const patched = Object.fromEntries(Object.entries(data).filter(([key]) => !failing.includes(key)));
  const result = scenarioSchema.safeParse(patched);
  return result.success ? [] : result.error.issues.filter((issue) => !failing.includes(String(issue.path[0])));
}

function place(source: Source, issue: RawIssue, overrides: readonly Override[], variant: string | null): ScenarioIssue {
  const override = overrides.filter((o) => startsWith(issue.path, o.path)).sort((a, b) => b.path.length - a.path.length)[0];
  const suffix = override !== undefined ? ` (${override.note})` : variant !== null ? ` (in variant ${variant})` : "";
  const pos = override !== undefined ? { line: override.line, column: override.column } : locate(source.doc, source.lines, issue.path, issue.atKey);
  const placed: ScenarioIssue = { file: source.file, ...pos, path: issue.path.join("."), message: issue.message + suffix, expected: issue.expected };
  if (issue.didYouMean !== undefined) placed.didYouMean = issue.didYouMean;
  return placed;
}
