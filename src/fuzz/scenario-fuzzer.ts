// A seeded mutation fuzzer over the scenario library: each file is a library scenario with a few hostile edits
// (lines deleted, duplicated or swapped, extreme numbers and durations, truncation, random unicode, prototype
// keys, an alias bomb), run through `validate` and, when it validates, a short `run`, both through the library
// API in this process (STYLE.md: bound everything; TigerBeetle's VOPR: one seed reproduces every file).
// Each file ends as the CLI would end it: 0, 2 (bad input) or 3 (the simulation failed). An error that is none
// of lbsim's own kinds would print a stack trace on a real CLI before errorExit caught it: that is a bug, counted
// and kept with the seed and the mutations that made it.
import { SimulationError } from "../engine/invariant.js";
import { Rng } from "../engine/rng.js";
import { executeRun } from "../lab/run-plan.js";
import { planFor } from "../lab/scenario-runs.js";
import { buildRun } from "../scenario/build.js";
import { ScenarioError } from "../scenario/errors/scenario-error.js";
import { parseScenario } from "../scenario/load.js";

export interface FuzzSource {
  name: string;
  text: string;
}

export interface FuzzOptions {
  seed: string;
  files: number;
  /** Simulated time each run gets at most (the scenario's own duration if shorter). */
  runUs?: number;
  /** Events each run may process; past it the run fails (exit 3): a bound on each file's wall time. */
  maxEvents?: number;
  /** A file whose validate and run together take longer than this (wall clock) counts as a hang. */
  hangMs?: number;
  /** Wall clock for the hang bound; the caller passes it so this file stays free of ambient time. */
  nowMs: () => number;
}

export interface FuzzFailure {
  file: string;
  mutations: string[];
  /** What went wrong: the error of a bug, or "took N ms" for a hang. */
  problem: string;
}

export interface FuzzReport {
  seed: string;
  files: number;
  /** Files by the exit code the CLI would give: 0, 2 or 3. */
  byExitCode: Record<"0" | "2" | "3", number>;
  /** Errors that are not lbsim's own kinds (ScenarioError, SimulationError): each would have been a stack trace. */
  stackTraces: FuzzFailure[];
  hangs: FuzzFailure[];
  /** The slowest file, ms. */
  slowestMs: number;
  /** Why runs failed with exit 3 (a budget, a watchdog, an invariant), by kind. */
  simulationFailures: Record<string, number>;
}

const EXTREME_NUMBERS = ["0", "-1", "1e12", "1e308", "-1e308", "9007199254740993", "0.0000001", ".nan", ".inf", "-.inf", "2147483648", "65536"];
const EXTREME_DURATIONS = ["0us", "1us", "999999999h", "-5s", "0.0001us", "1e9s", "285y", "5"];
const PROTOTYPE_KEYS = ["__proto__: { polluted: 1 }", "constructor: { prototype: { polluted: 1 } }", "toString: 1", "hasOwnProperty: x", "prototype: 1"];
const UNICODE = ["\u0000", "\u202e", "\ufeff", "\ud83d\ude00", "\u00e9", "\u200b", "\uffff", "\t", "\r", "\\", "\"", "'", "&", "*", "!", "%", "@", "`", "{", "}", "[", "]", ":", "#", "|", ">"];

type Mutation = (lines: string[], rng: Rng) => { lines: string[]; note: string };

const MUTATIONS: Mutation[] = [
  (lines, rng) => {
    const i = rng.int(lines.length);
    return { lines: lines.filter((_, j) => j !== i), note: `delete line ${i + 1}` };
  },
  (lines, rng) => {
    const i = rng.int(lines.length);
    return { lines: [...lines.slice(0, i + 1), lines[i]!, ...lines.slice(i + 1)], note: `duplicate line ${i + 1}` };
  },
  (lines, rng) => {
    const i = rng.int(lines.length);
    const j = rng.int(lines.length);
    const out = [...lines];
    [out[i], out[j]] = [out[j]!, out[i]!];
    return { lines: out, note: `swap lines ${i + 1} and ${j + 1}` };
  },
  (lines, rng) => replaceToken(lines, rng, /(?<![\w.])\d+(\.\d+)?(?![\w.%/])/g, EXTREME_NUMBERS, "number"),
  (lines, rng) => replaceToken(lines, rng, /\b\d+(\.\d+)?(us|ms|s|m|h)\b/g, EXTREME_DURATIONS, "duration"),
  (lines, rng) => replaceToken(lines, rng, /\b\d+(\.\d+)?\/(s|m|h)\b/g, ["1000000000/s", "0/s", "1e6/s", "999999/s"], "rate"),
  (lines, rng) => {
    const text = lines.join("\n");
    const at = rng.int(text.length + 1);
    return { lines: text.slice(0, at).split("\n"), note: `truncate at character ${at}` };
  },
  (lines, rng) => {
    const i = rng.int(lines.length);
    const line = lines[i]!;
    const at = rng.int(line.length + 1);
    const char = UNICODE[rng.int(UNICODE.length)]!;
    const out = [...lines];
    out[i] = line.slice(0, at) + char + line.slice(at);
    return { lines: out, note: `insert ${JSON.stringify(char)} in line ${i + 1}` };
  },
  (lines, rng) => {
    const i = rng.int(lines.length);
    const indent = /^\s*(- )?/.exec(lines[i]!)![0].replace("- ", "  ");
    const key = PROTOTYPE_KEYS[rng.int(PROTOTYPE_KEYS.length)]!;
    return { lines: [...lines.slice(0, i), indent + key, ...lines.slice(i)], note: `insert ${key} before line ${i + 1}` };
  },
  (lines) => {
    const bomb = ["x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    let previous = "a";
    for (const name of "bcdefgh") {
      bomb.push(`x-${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]`);
      previous = name;
    }
    return { lines: [...bomb, ...lines], note: "prepend an alias bomb" };
  },
];

function replaceToken(lines: string[], rng: Rng, pattern: RegExp, values: readonly string[], what: string): { lines: string[]; note: string } {
  const spots: Array<{ line: number; index: number; length: number }> = [];
  lines.forEach((line, i) => {
    if (line.trimStart().startsWith("#")) return;
    for (const m of line.matchAll(pattern)) spots.push({ line: i, index: m.index, length: m[0].length });
  });
  if (spots.length === 0) return { lines, note: `no ${what} to replace` };
  const spot = spots[rng.int(spots.length)]!;
  const value = values[rng.int(values.length)]!;
  const out = [...lines];
  const line = out[spot.line]!;
  out[spot.line] = line.slice(0, spot.index) + value + line.slice(spot.index + spot.length);
  return { lines: out, note: `${what} on line ${spot.line + 1} -> ${value}` };
}

/** File number `index` of a fuzz run: one library scenario and one to three mutations, all from (seed, index). */
export function mutatedFile(sources: readonly FuzzSource[], seed: string, index: number): { name: string; text: string; mutations: string[] } {
  const rng = Rng.root(seed).fork(`file/${index}`);
  const source = sources[rng.int(sources.length)]!;
  let lines = source.text.split("\n");
  const mutations: string[] = [];
  const count = 1 + rng.int(3);
  for (let m = 0; m < count && lines.length > 0; m++) {
    const result = MUTATIONS[rng.int(MUTATIONS.length)]!(lines, rng);
    lines = result.lines;
    mutations.push(result.note);
  }
  return { name: `fuzz-${index}-${source.name}`, text: lines.join("\n"), mutations };
}

/** Runs `options.files` mutated files and counts how each ended. */
export function fuzzScenarios(sources: readonly FuzzSource[], options: FuzzOptions): FuzzReport {
  const report: FuzzReport = { seed: options.seed, files: 0, byExitCode: { 0: 0, 2: 0, 3: 0 }, stackTraces: [], hangs: [], slowestMs: 0, simulationFailures: {} };
  const hangMs = options.hangMs ?? 10_000;
  for (let index = 0; index < options.files; index++) {
    const file = mutatedFile(sources, options.seed, index);
    const started = options.nowMs();
    const outcome = tryFile(file.name, file.text, options.runUs ?? 500_000, options.maxEvents ?? 300_000);
    const tookMs = options.nowMs() - started;
    report.files++;
    report.slowestMs = Math.max(report.slowestMs, tookMs);
    report.byExitCode[String(outcome.code) as "0" | "2" | "3"]++;
    if (outcome.failure !== undefined) report.simulationFailures[outcome.failure] = (report.simulationFailures[outcome.failure] ?? 0) + 1;
    if (outcome.bug !== undefined) report.stackTraces.push({ file: file.name, mutations: file.mutations, problem: outcome.bug });
    if (tookMs > hangMs) report.hangs.push({ file: file.name, mutations: file.mutations, problem: `took ${Math.round(tookMs)} ms` });
  }
  return report;
}

/** Validate, then run the first variant for at most `runUs`: the exit code the CLI would give, and any bug. */
function tryFile(name: string, text: string, runUs: number, maxEvents: number): { code: 0 | 2 | 3; bug?: string; failure?: string } {
  let loaded;
  try {
    loaded = parseScenario(text, `${name}.yaml`);
  } catch (error) {
    if (error instanceof ScenarioError) return { code: 2 };
    return { code: 3, bug: `validate: ${describe(error)}` };
  }
  try {
    const variant = loaded.variants[0]?.name ?? null;
    const built = buildRun(loaded, variant);
    // A short run: the horizon cut to runUs, steps after it dropped, the warm-up inside it, events bounded.
    const horizonUs = Math.min(built.durationUs, runUs);
    built.world.horizonUs = horizonUs;
    built.durationUs = horizonUs;
    built.warmupUs = Math.min(built.warmupUs, Math.floor(horizonUs / 2));
    built.world.measureFromUs = built.warmupUs;
    built.world.maxEvents = Math.min(built.world.maxEvents ?? maxEvents, maxEvents);
    built.timeline = built.timeline.filter((step) => step.atUs < horizonUs);
    executeRun(planFor(built));
    return { code: 0 };
  } catch (error) {
    if (error instanceof ScenarioError) return { code: 2 };
    // The loop wraps a handler's TypeError as "uncaught ...", the lab anything else as "internal error ...".
    if (error instanceof SimulationError && !/^(internal error|uncaught) /.test(error.message)) return { code: 3, failure: firstWords(error.message) };
    return { code: 3, bug: `run: ${describe(error)}` };
  }
}

/** A failure's kind without its numbers, to count alike failures together. */
function firstWords(message: string): string {
  return message.replace(/\(seed .*$/, "").replace(/\d+/g, "N").slice(0, 120).trim();
}

function describe(error: unknown): string {
  if (error instanceof SimulationError && error.cause instanceof Error) return `${error.message} <- ${error.cause.stack?.split("\n").slice(0, 3).join(" | ")}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
