// Replay: an access log as the clients of a run. Every logged request becomes one user request, at its logged
// arrival time (from the first, scaled by `speed`), of its own class (method and path pattern), with its own
// service demand (the time at the server that answered, what the balancer added taken out, see log-formats.ts),
// from its own client, by pseudonym (pseudonyms.ts). Nothing is drawn at random, so a replay reproduces the log's
// arrival count and class mix exactly, and every variant of a scenario sees the same requests.
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { className, pathPattern } from "./path-pattern.js";
import { FIELD_SOURCES, type LogFormat } from "./log-formats.js";
import { LogFileError, readLogSync, type ScanCounts } from "./log-reader.js";
import { Pseudonyms } from "./pseudonyms.js";

export interface ReplayOptions {
  file: string;
  format: LogFormat;
  speed: number;
  loop: boolean;
}

export interface ReplayClass {
  name: string;
  method: string;
  /** The path pattern (`/users/:id`). */
  path: string;
  count: number;
  /** Median demand of the class's logged requests, in us (stands in for a line without one). */
  medianDemandUs: number;
}

export interface ReplayTrace {
  /** Arrival of each request, us from the run's start, non-decreasing. */
  offsetsUs: Float64Array;
  /** Index into `classes`. */
  classIndex: Uint16Array;
  demandUs: Float64Array;
  /** Index into `addresses`. */
  client: Int32Array;
  /** Pseudonymous client addresses (the /24 grouping kept). */
  addresses: string[];
  classes: ReplayClass[];
  /** With `loop`: the log's length, after which it starts again; null without. */
  periodUs: number | null;
  counts: ScanCounts;
}

const cache = new Map<string, ReplayTrace>();
const CACHE_ENTRIES = 4;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** The trace of a replay, the log read once per process for the same file, size, time and options. */
export function replayTrace(options: ReplayOptions, baseDir: string): ReplayTrace {
  const path = resolve(baseDir, options.file);
  let stamp: string;
  try {
    const stat = statSync(path);
    stamp = `${stat.size}:${stat.mtimeMs}`;
  } catch (error) {
    throw new LogFileError(`${path}: cannot read the replay log (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const key = JSON.stringify([path, stamp, options.format, options.speed, options.loop]);
  const known = cache.get(key);
  if (known !== undefined) return known;
  const trace = buildTrace(path, options);
  if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, trace);
  return trace;
}

function buildTrace(path: string, options: ReplayOptions): ReplayTrace {
  const { records, counts } = readLogSync(path, options.format);
  // Stable: requests logged at the same microsecond keep the log's order.
  const order = records.map((_, i) => i).sort((a, b) => records[a]!.arrivalUs - records[b]!.arrivalUs || a - b);
  const keys = new Map<string, { index: number; method: string; pattern: string; count: number; demands: number[] }>();
  const keyOf = records.map((r) => {
    const pattern = pathPattern(r.path);
    const key = `${r.method} ${pattern}`;
    let entry = keys.get(key);
    if (entry === undefined) {
      entry = { index: keys.size, method: r.method, pattern, count: 0, demands: [] };
      keys.set(key, entry);
    }
    entry.count++;
    if (Number.isFinite(r.demandUs)) entry.demands.push(r.demandUs);
    return entry;
  });
  if (keys.size > 65_535) throw new LogFileError(`${path}: ${keys.size} distinct method and path patterns; replay takes at most 65,535`);
  const all = [...keys.values()].flatMap((k) => k.demands);
  if (all.length === 0) {
    throw new LogFileError(`${path}: no line says how long the backend took, which replay needs as each request's demand: ${FIELD_SOURCES[options.format].demand}`);
  }
  const overall = median(all);
  // Classes by count, busiest first (ties: first seen), so the summary lists them as a person would.
  const ranked = [...keys.values()].sort((a, b) => b.count - a.count || a.index - b.index);
  const rank = new Map(ranked.map((k, i) => [k, i]));
  const names = new Map<string, number>();
  const classes = ranked.map((k) => {
    const base = className(k.method, k.pattern);
    const n = (names.get(base) ?? 0) + 1;
    names.set(base, n);
    return { name: n === 1 ? base : `${base}-${n}`, method: k.method, path: k.pattern, count: k.count, medianDemandUs: k.demands.length > 0 ? median(k.demands) : overall };
  });
  const pseudonyms = new Pseudonyms();
  const addressIndex = new Map<string, number>();
  const n = records.length;
  const offsetsUs = new Float64Array(n);
  const classIndex = new Uint16Array(n);
  const demandUs = new Float64Array(n);
  const client = new Int32Array(n);
  const startUs = records[order[0]!]!.arrivalUs;
  order.forEach((i, position) => {
    const r = records[i]!;
    offsetsUs[position] = Math.round((r.arrivalUs - startUs) / options.speed);
    const klass = rank.get(keyOf[i]!)!;
    classIndex[position] = klass;
    demandUs[position] = Number.isFinite(r.demandUs) ? r.demandUs : classes[klass]!.medianDemandUs;
    const pseudonym = pseudonyms.of(r.client);
    let index = addressIndex.get(pseudonym);
    if (index === undefined) {
      index = addressIndex.size;
      addressIndex.set(pseudonym, index);
    }
    client[position] = index;
  });
  const lastUs = offsetsUs[n - 1]!;
  // The loop restarts one mean gap after the last request, so the seam looks like any other gap.
  const periodUs = options.loop ? lastUs + Math.max(1, Math.round(lastUs / Math.max(1, n - 1))) : null;
  return { offsetsUs, classIndex, demandUs, client, addresses: [...addressIndex.keys()], classes, periodUs, counts };
}
