// `lbsim fit`: what a log says about a workload, gathered in one streaming pass in memory that does not grow with
// the number of lines (it grows with the log's duration in seconds, its distinct paths up to a cap, and its
// distinct client addresses). Per class, demands are kept in a seeded reservoir sample (Vitter's algorithm R), so
// a fit of a 10 GB log looks at a fixed-size, uniformly drawn, reproducible subset.
import seedrandom from "seedrandom";
import { fitDemand, type DistributionFit } from "./fit-distribution.js";
import type { LogFormat, LogRecord } from "./log-formats.js";
import { type ScanCounts, streamLog } from "./log-reader.js";
import { className, pathPattern } from "./path-pattern.js";
import { networkOf } from "./pseudonyms.js";

/** Demands kept per class for fitting. */
export const RESERVOIR = 20_000;
/** Distinct method+pattern keys tracked; past this, new ones count as "other". */
const MAX_PATTERNS = 2_000;
/** Request classes written: the busiest ones, the rest merged into one "other" class. */
export const MAX_CLASSES = 8;
/** A /24 with at least this share of requests gets a client group of its own (its NAT and hashing effects). */
export const HEAVY_NETWORK_SHARE = 0.05;
/** Arrivals out of order by up to this many records are put back in order before gaps are measured. */
const REORDER = 256;

interface ClassStats {
  method: string;
  pattern: string;
  count: number;
  withDemand: number;
  reservoir: number[];
}

export interface FittedClass {
  name: string;
  method: string;
  pattern: string;
  count: number;
  /** Requests of the class whose log line had no time at the backend. */
  missingDemand: number;
  fit: DistributionFit | null;
}

export interface FittedNetwork {
  /** Pseudonymous index (order of first appearance); the real /24 is never kept past the scan. */
  index: number;
  requests: number;
  hosts: number;
}

export interface LogFit {
  file: string;
  format: LogFormat;
  counts: ScanCounts;
  requests: number;
  startUs: number;
  durationUs: number;
  /** Requests per second in each bin of `binUs`, from the log's first arrival. */
  binUs: number;
  binRates: number[];
  /** Pearson dispersion of per-second counts around the binned rate: 1 for Poisson, above 1 for bursty. */
  dispersion: number;
  /** The band a Poisson process's dispersion falls in 99.7% of the time with this many seconds. */
  dispersionBand: [number, number];
  /** Dispersion of the bins' counts around their mean: within its band, the rate is constant over the log. */
  binDispersion: number;
  binDispersionBand: [number, number];
  interarrival: DistributionFit | null;
  classes: FittedClass[];
  clients: number;
  networks: FittedNetwork[];
  reused: number;
  fresh: number;
  errors5xx: number;
}

/** Bin widths for the rate timeline: at most 60 bins over the log, on a 1-2-5 grid of seconds and minutes. */
function binWidthUs(durationUs: number): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];
  for (const s of steps) if (durationUs / (s * 1e6) <= 60) return s * 1e6;
  return Math.ceil(durationUs / 60 / 86400e6) * 86400e6;
}

export class LogFitter {
  private readonly classes = new Map<string, ClassStats>();
  private readonly perSecond = new Map<number, number>();
  private readonly networks = new Map<string, { index: number; requests: number; hosts: Set<string> }>();
  private readonly rng = seedrandom.alea("lbsim-fit");
  private readonly gaps: number[] = [];
  private gapsSeen = 0;
  private readonly pending: number[] = [];
  private lastReleased = Number.NaN;
  requests = 0;
  private minUs = Infinity;
  private maxUs = -Infinity;
  private reused = 0;
  private fresh = 0;
  private errors5xx = 0;

  add(record: LogRecord): void {
    this.requests++;
    const t = record.arrivalUs;
    this.minUs = Math.min(this.minUs, t);
    this.maxUs = Math.max(this.maxUs, t);
    const second = Math.floor(t / 1e6);
    this.perSecond.set(second, (this.perSecond.get(second) ?? 0) + 1);
    this.addGap(t);
    if (record.status >= 500) this.errors5xx++;
    if (record.reusedConnection === true) this.reused++;
    else if (record.reusedConnection === false) this.fresh++;

    const pattern = pathPattern(record.path);
    let key = `${record.method} ${pattern}`;
    if (!this.classes.has(key) && this.classes.size >= MAX_PATTERNS) key = "other";
    let stats = this.classes.get(key);
    if (stats === undefined) {
      stats = key === "other" ? { method: "GET", pattern: "/other", count: 0, withDemand: 0, reservoir: [] } : { method: record.method, pattern, count: 0, withDemand: 0, reservoir: [] };
      this.classes.set(key, stats);
    }
    stats.count++;
    if (Number.isFinite(record.demandUs)) this.sample(stats.reservoir, ++stats.withDemand, record.demandUs);

    const net = networkOf(record.client);
    let network = this.networks.get(net);
    if (network === undefined) {
      network = { index: this.networks.size, requests: 0, hosts: new Set() };
      this.networks.set(net, network);
    }
    network.requests++;
    // Hosts per /24 are at most 256; IPv6 /64s could hold more, so their count stops at 65,536.
    if (network.hosts.size < 65_536) network.hosts.add(record.client);
  }

  /** Reservoir sampling, algorithm R: item number `seen` replaces a random slot with probability size/seen. */
  private sample(reservoir: number[], seen: number, value: number): void {
    if (reservoir.length < RESERVOIR) reservoir.push(value);
    else {
      const slot = Math.floor(this.rng() * seen);
      if (slot < RESERVOIR) reservoir[slot] = value;
    }
  }

  private addGap(t: number): void {
    // A small sorted buffer puts back in order arrivals that were logged out of order (NGINX logs at the end of
    // a request, so arrival = end - duration is not monotone in the file).
    let i = this.pending.length;
    this.pending.push(t);
    while (i > 0 && this.pending[i - 1]! > t) { this.pending[i] = this.pending[i - 1]!; i--; }
    this.pending[i] = t;
    if (this.pending.length > REORDER) this.release(this.pending.shift()!);
  }

  private release(t: number): void {
    if (Number.isFinite(this.lastReleased)) this.sample(this.gaps, ++this.gapsSeen, t - this.lastReleased);
    this.lastReleased = t;
  }

  finish(file: string, format: LogFormat, counts: ScanCounts): LogFit {
    for (const t of this.pending.splice(0)) this.release(t);
    const durationUs = Math.max(1e6, this.maxUs - this.minUs + 1);
    const binUs = binWidthUs(durationUs);
    const bins = Math.ceil(durationUs / binUs);
    const binCounts = new Array<number>(bins).fill(0);
    const startSecond = Math.floor(this.minUs / 1e6);
    const seconds = Math.ceil(durationUs / 1e6);
    const secondCounts = new Array<number>(seconds).fill(0);
    for (const [second, count] of this.perSecond) {
      const offset = second - startSecond;
      secondCounts[Math.min(seconds - 1, offset)]! += count;
      binCounts[Math.min(bins - 1, Math.floor((offset * 1e6) / binUs))]! += count;
    }
    const binRates = binCounts.map((c) => c / (binUs / 1e6));
    // Pearson's dispersion statistic of per-second counts against the binned rate (the expected count per second).
    let chi = 0;
    let used = 0;
    for (let s = 0; s < seconds; s++) {
      const expected = binRates[Math.min(bins - 1, Math.floor((s * 1e6) / binUs))]!;
      if (expected > 0) { chi += (secondCounts[s]! - expected) ** 2 / expected; used++; }
    }
    const dof = Math.max(1, used - bins);
    const dispersion = chi / dof;
    const half = 3 * Math.sqrt(2 / dof);

    // The same statistic one level up: bin counts against their mean. A constant-rate Poisson process gives about 1.
    const meanCount = binCounts.reduce((a, b) => a + b, 0) / bins;
    const binDispersion = bins < 2 ? 1 : binCounts.reduce((s, c) => s + (c - meanCount) ** 2, 0) / meanCount / (bins - 1);
    const binHalf = bins < 2 ? Infinity : 3 * Math.sqrt(2 / (bins - 1));

    const sorted = [...this.classes.values()].sort((a, b) => b.count - a.count);
    const kept = sorted.slice(0, sorted.length > MAX_CLASSES ? MAX_CLASSES - 1 : MAX_CLASSES);
    const rest = sorted.slice(kept.length);
    const classes: FittedClass[] = kept.map((c) => this.fitClass(c.method, c.pattern, c.count, c.withDemand, c.reservoir));
    if (rest.length > 0) {
      // The merged class's sample draws from each member's reservoir in proportion to its demand count.
      const total = rest.reduce((s, c) => s + c.withDemand, 0);
      const merged: number[] = [];
      for (const c of rest) {
        const take = total === 0 ? 0 : Math.round((c.withDemand / total) * RESERVOIR);
        merged.push(...c.reservoir.slice(0, take));
      }
      const methods = new Map<string, number>();
      for (const c of rest) methods.set(c.method, (methods.get(c.method) ?? 0) + c.count);
      const method = [...methods].sort((a, b) => b[1] - a[1])[0]![0];
      classes.push(this.fitClass(method, "/other", rest.reduce((s, c) => s + c.count, 0), total, merged));
      classes[classes.length - 1]!.name = "other";
    }
    const networks = [...this.networks.values()].map((n) => ({ index: n.index, requests: n.requests, hosts: n.hosts.size }));
    return {
      file, format, counts, requests: this.requests, startUs: this.minUs, durationUs, binUs, binRates, dispersion,
      dispersionBand: [Math.max(0, 1 - half), 1 + half],
      binDispersion, binDispersionBand: [Math.max(0, 1 - binHalf), 1 + binHalf],
      interarrival: this.gaps.length >= 2 ? fitDemand(this.gaps) : null,
      classes, clients: networks.reduce((s, n) => s + n.hosts, 0), networks,
      reused: this.reused, fresh: this.fresh, errors5xx: this.errors5xx,
    };
  }

  private fitClass(method: string, pattern: string, count: number, withDemand: number, sample: number[]): FittedClass {
    return { name: className(method, pattern), method, pattern, count, missingDemand: count - withDemand, fit: sample.length >= 2 ? fitDemand(sample) : null };
  }
}

export async function fitLog(file: string, format: LogFormat, onProgress?: (fraction: number) => void): Promise<LogFit> {
  const fitter = new LogFitter();
  const counts = await streamLog(file, format, (record) => fitter.add(record), onProgress === undefined ? {} : { onProgress });
  return fitter.finish(file, format, counts);
}
