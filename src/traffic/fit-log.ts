// `lbsim fit`: what a log says about a workload, gathered in two streaming passes, in memory that does not grow
// with the number of lines (it grows with the log's duration, in 100 ms ticks, its distinct paths up to a cap, and
// its distinct client addresses). Pass one finds the request classes, their demands, the /24s and the arrivals;
// pass two, only when some /24 sends at least 5% of the requests (a NAT, an office, a partner's batch job), counts
// that /24's own arrivals and class mix, since hashing on the client address makes it matter apart.
// Per class, demands are kept in a seeded reservoir sample (Vitter's algorithm R), so a fit of a 10 GB log looks
// at a fixed-size, uniformly drawn, reproducible subset.
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
/** Arrivals are counted in ticks of this length: the scale at which burstiness is judged. */
export const TICK_US = 100_000;
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

/** Arrivals of one client group: the whole log, the /24s without a group of their own, or one heavy /24. */
export interface FittedArrivals {
  requests: number;
  /** Requests per second in each bin of LogFit.binUs, from the log's first arrival. */
  binRates: number[];
  /** Pearson dispersion of per-tick counts around the binned rate: about 1 for Poisson, above 1 for bursty. */
  dispersion: number;
  /** Where a Poisson process's dispersion falls 99.7% of the time with this many ticks. */
  dispersionBand: [number, number];
  /** Dispersion of the bins' counts around their mean: within its band, the rate is constant over the log. */
  binDispersion: number;
  binDispersionBand: [number, number];
}

export interface FittedGroup {
  /** "fitted" for the /24s without a group of their own, "network-N" for the N-th heaviest /24. */
  name: string;
  /** Distinct client addresses. */
  clients: number;
  arrivals: FittedArrivals;
  /** Requests of each of LogFit.classes (same order) this group sent. */
  classCounts: number[];
}

export interface LogFit {
  file: string;
  format: LogFormat;
  counts: ScanCounts;
  requests: number;
  durationUs: number;
  binUs: number;
  all: FittedArrivals;
  interarrival: DistributionFit | null;
  classes: FittedClass[];
  groups: FittedGroup[];
  clients: number;
  networks: number;
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

const classKey = (method: string, pattern: string): string => `${method} ${pattern}`;

/** Pass one. */
export class LogFitter {
  private readonly classes = new Map<string, ClassStats>();
  private readonly perTick = new Map<number, number>();
  private readonly networks = new Map<string, { requests: number; hosts: Set<string> }>();
  private readonly rng = seedrandom.alea("lbsim-fit");
  private readonly gaps: number[] = [];
  private gapsSeen = 0;
  private readonly pending: number[] = [];
  private lastReleased = Number.NaN;
  requests = 0;
  minUs = Infinity;
  private maxUs = -Infinity;
  private reused = 0;
  private fresh = 0;
  private errors5xx = 0;

  add(record: LogRecord): void {
    this.requests++;
    const t = record.arrivalUs;
    this.minUs = Math.min(this.minUs, t);
    this.maxUs = Math.max(this.maxUs, t);
    const tick = Math.floor(t / TICK_US);
    this.perTick.set(tick, (this.perTick.get(tick) ?? 0) + 1);
    this.addGap(t);
    if (record.status >= 500) this.errors5xx++;
    if (record.reusedConnection === true) this.reused++;
    else if (record.reusedConnection === false) this.fresh++;

    const pattern = pathPattern(record.path);
    let key = classKey(record.method, pattern);
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
      network = { requests: 0, hosts: new Set() };
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

  get durationUs(): number {
    return Math.max(1e6, this.maxUs - this.minUs + 1);
  }

  /** /24s (real keys: they never leave the fit) with a group of their own, heaviest first. */
  heavyNetworks(): string[] {
    return [...this.networks].filter(([, n]) => n.requests / this.requests >= HEAVY_NETWORK_SHARE).sort((a, b) => b[1].requests - a[1].requests).map(([k]) => k);
  }

  /** The fitted classes, busiest first, and each kept class key's index (merged ones map to the last, "other"). */
  fitClasses(): { classes: FittedClass[]; indexOf: (method: string, pattern: string) => number } {
    for (const t of this.pending.splice(0)) this.release(t);
    const sorted = [...this.classes.entries()].sort((a, b) => b[1].count - a[1].count);
    const kept = sorted.slice(0, sorted.length > MAX_CLASSES ? MAX_CLASSES - 1 : MAX_CLASSES);
    const rest = sorted.slice(kept.length).map(([, c]) => c);
    const classes: FittedClass[] = kept.map(([, c]) => fitClass(c.method, c.pattern, c.count, c.withDemand, c.reservoir));
    if (rest.length > 0) {
      // The merged class's sample draws from each member's reservoir in proportion to its demand count.
      const total = rest.reduce((s, c) => s + c.withDemand, 0);
      const merged: number[] = [];
      for (const c of rest) merged.push(...c.reservoir.slice(0, total === 0 ? 0 : Math.round((c.withDemand / total) * RESERVOIR)));
      const methods = new Map<string, number>();
      for (const c of rest) methods.set(c.method, (methods.get(c.method) ?? 0) + c.count);
      const method = [...methods].sort((a, b) => b[1] - a[1])[0]![0];
      classes.push({ ...fitClass(method, "/other", rest.reduce((s, c) => s + c.count, 0), total, merged), name: "other" });
    }
    const index = new Map(kept.map(([key], i) => [key, i]));
    return { classes, indexOf: (method, pattern) => index.get(classKey(method, pattern)) ?? classes.length - 1 };
  }

  finish(file: string, format: LogFormat, counts: ScanCounts, classes: FittedClass[], groups: FittedGroup[]): LogFit {
    const binUs = binWidthUs(this.durationUs);
    return {
      file, format, counts, requests: this.requests, durationUs: this.durationUs, binUs,
      all: arrivalsOf(this.perTick, this.minUs, this.durationUs, binUs),
      interarrival: this.gaps.length >= 2 ? fitDemand(this.gaps) : null,
      classes, groups,
      clients: [...this.networks.values()].reduce((s, n) => s + n.hosts.size, 0),
      networks: this.networks.size,
      reused: this.reused, fresh: this.fresh, errors5xx: this.errors5xx,
    };
  }

  /** Ticks, classes and clients of every /24 together, for the group of /24s that have no group of their own. */
  get tickCounts(): Map<number, number> {
    return this.perTick;
  }

  hostsOf(network: string): number {
    return this.networks.get(network)?.hosts.size ?? 0;
  }
}

function fitClass(method: string, pattern: string, count: number, withDemand: number, sample: number[]): FittedClass {
  return { name: className(method, pattern), method, pattern, count, missingDemand: count - withDemand, fit: sample.length >= 2 ? fitDemand(sample) : null };
}

/** Binned rates and the two dispersion tests of a stream of arrivals counted per tick. */
export function arrivalsOf(perTick: ReadonlyMap<number, number>, startUs: number, durationUs: number, binUs: number): FittedArrivals {
  const bins = Math.ceil(durationUs / binUs);
  const ticksPerBin = binUs / TICK_US;
  const ticks = Math.ceil(durationUs / TICK_US);
  const firstTick = Math.floor(startUs / TICK_US);
  const tickCounts = new Array<number>(ticks).fill(0);
  for (const [tick, count] of perTick) tickCounts[Math.min(ticks - 1, Math.max(0, tick - firstTick))]! += count;
  const binCounts = new Array<number>(bins).fill(0);
  tickCounts.forEach((c, t) => { binCounts[Math.min(bins - 1, Math.floor(t / ticksPerBin))]! += c; });
  const binRates = binCounts.map((c) => c / (binUs / 1e6));
  // Pearson's dispersion statistic of per-tick counts against the binned rate (the expected count per tick).
  let chi = 0;
  let used = 0;
  tickCounts.forEach((c, t) => {
    const expected = binCounts[Math.min(bins - 1, Math.floor(t / ticksPerBin))]! / ticksPerBin;
    if (expected > 0) { chi += (c - expected) ** 2 / expected; used++; }
  });
  const dof = Math.max(1, used - bins);
  const half = 3 * Math.sqrt(2 / dof);
  // The same statistic one level up: bin counts against their mean. A constant-rate Poisson process gives about 1.
  const meanCount = binCounts.reduce((a, b) => a + b, 0) / bins;
  const binDispersion = bins < 2 || meanCount === 0 ? 1 : binCounts.reduce((s, c) => s + (c - meanCount) ** 2, 0) / meanCount / (bins - 1);
  const binHalf = bins < 2 ? Infinity : 3 * Math.sqrt(2 / (bins - 1));
  return {
    requests: binCounts.reduce((a, b) => a + b, 0), binRates, dispersion: chi / dof, dispersionBand: [Math.max(0, 1 - half), 1 + half],
    binDispersion, binDispersionBand: [Math.max(0, 1 - binHalf), 1 + binHalf],
  };
}

/** Pass two: each heavy /24's own ticks and class mix. */
class NetworkCounter {
  readonly ticks: Array<Map<number, number>>;
  readonly classCounts: number[][];
  private readonly index: Map<string, number>;

  constructor(networks: readonly string[], classCount: number, private readonly classIndex: (method: string, pattern: string) => number) {
    this.index = new Map(networks.map((n, i) => [n, i]));
    this.ticks = networks.map(() => new Map());
    this.classCounts = networks.map(() => new Array<number>(classCount).fill(0));
  }

  add(record: LogRecord): void {
    const n = this.index.get(networkOf(record.client));
    if (n === undefined) return;
    const tick = Math.floor(record.arrivalUs / TICK_US);
    this.ticks[n]!.set(tick, (this.ticks[n]!.get(tick) ?? 0) + 1);
    this.classCounts[n]![this.classIndex(record.method, pathPattern(record.path))]!++;
  }
}

export async function fitLog(file: string, format: LogFormat, onProgress?: (fraction: number) => void): Promise<LogFit> {
  const heavyWeight = 0.5;
  const fitter = new LogFitter();
  const counts = await streamLog(file, format, (record) => fitter.add(record), onProgress === undefined ? {} : { onProgress: (f) => onProgress(f * heavyWeight) });
  const { classes, indexOf } = fitter.fitClasses();
  const heavy = fitter.heavyNetworks();
  const binUs = binWidthUs(fitter.durationUs);
  const groups: FittedGroup[] = [];
  const restTicks = new Map(fitter.tickCounts);
  const restClasses = classes.map((c) => c.count);
  if (heavy.length > 0) {
    const counter = new NetworkCounter(heavy, classes.length, indexOf);
    await streamLog(file, format, (record) => counter.add(record), onProgress === undefined ? {} : { onProgress: (f) => onProgress(heavyWeight + f * heavyWeight) });
    heavy.forEach((network, i) => {
      for (const [tick, c] of counter.ticks[i]!) restTicks.set(tick, restTicks.get(tick)! - c);
      counter.classCounts[i]!.forEach((c, k) => { restClasses[k]! -= c; });
      groups.push({ name: `network-${i + 1}`, clients: fitter.hostsOf(network), arrivals: arrivalsOf(counter.ticks[i]!, fitter.minUs, fitter.durationUs, binUs), classCounts: counter.classCounts[i]! });
    });
  }
  const fit = fitter.finish(file, format, counts, classes, groups);
  const restRequests = restClasses.reduce((a, b) => a + b, 0);
  if (restRequests > 0) {
    const restClients = fit.clients - groups.reduce((s, g) => s + g.clients, 0);
    groups.unshift({ name: "fitted", clients: Math.max(1, restClients), arrivals: arrivalsOf(restTicks, fitter.minUs, fitter.durationUs, binUs), classCounts: restClasses });
  }
  return fit;
}
