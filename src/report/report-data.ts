// The data a run produces for people: the summary document (`lbsim run --json`) and the series behind the
// charts. The lab fills these in; the report renders them; nothing else reads the simulation's internals.
// Times for people are in milliseconds (the unit suffix says so); simulated time inside is microseconds.
import type { LatencySummary } from "../metrics/histogram.js";
import type { Outcome } from "../metrics/ledger.js";

/** The histogram summary's fields, in milliseconds. */
export type LatencySummaryMs = LatencySummary;

export interface BackendSummary {
  name: string;
  /** Attempts sent to this backend by every node (retries included). */
  requests: number;
  ok: number;
  failed: number;
  /** Time in each health state as the balancer nodes saw it (summed over nodes, per node averaged), ms. */
  timeInStateMs: Record<string, number>;
  /** Times a node's active health for this backend flipped (flapping shows here). */
  healthTransitions: number;
  /** Time-weighted mean utilisation of its workers over the run, 0..1. */
  utilisation: number;
}

export interface RunSummary {
  scenario: string;
  variant: string;
  seed: string;
  version: string;
  simulatedMs: number;
  events: number;
  requests: {
    sent: number;
    ok: number;
    /** sent - ok - unfinished: every named loss cause. */
    lost: number;
    lostFraction: number;
    outcomes: Record<Outcome, number>;
    retries: number;
    clientRetries: number;
    duplicates: number;
    hedges: number;
  };
  /** Latency of successful requests, as the client saw it. */
  latencyMs: LatencySummaryMs;
  backends: BackendSummary[];
  sessionsLost: number;
  orphanedExecutions: number;
}

/** One time window of client-observed latency and outcomes. */
export interface WindowPoint {
  startMs: number;
  endMs: number;
  count: number;
  ok: number;
  failed: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** Count per outcome (non-zero ones only). */
  outcomes: Partial<Record<Outcome, number>>;
}

/** One time window of one backend's load. */
export interface BackendPoint {
  backend: string;
  startMs: number;
  endMs: number;
  meanInFlight: number;
  maxInFlight: number;
  utilisation: number;
  started: number;
}

/** A stretch of time a backend spent in one health state, as one balancer node saw it. */
export interface HealthSpan {
  node: string;
  backend: string;
  state: string;
  fromMs: number;
  toMs: number;
}

/** Something that happened to a backend: a GC pause (with an end), a crash, a hang, a restart... */
export interface Marker {
  backend: string;
  kind: string;
  atMs: number;
  endMs?: number;
}

export interface RunSeries {
  windows: WindowPoint[];
  backendLoad: BackendPoint[];
  health: HealthSpan[];
  markers: Marker[];
  /** The latency distribution of successful requests: (latency, cumulative fraction) points. */
  latencyCdf: Array<{ latencyMs: number; fraction: number }>;
}

export interface VariantResult {
  summary: RunSummary;
  series: RunSeries;
}

/** A metric compared across variants over several seeds (common random numbers): mean and 95% CI. */
export interface ComparisonRow {
  metric: string;
  variant: string;
  seeds: number;
  mean: number;
  ciLow: number;
  ciHigh: number;
}

export interface ExpectationResult {
  /** How the expectation reads in the scenario file, e.g. "http: requests.lostFraction < 0.01". */
  text: string;
  variant: string;
  actual: number;
  passed: boolean;
}

export interface ScenarioReport {
  scenario: { name: string; title: string; description: string; file: string };
  /** The command that reproduces this report exactly (scenario, seed, version). */
  command: string;
  seed: string;
  version: string;
  variants: VariantResult[];
  comparison: ComparisonRow[];
  /** Plain-language verdicts of the comparison, e.g. "least-connections beats round-robin on p99 (95% CI)". */
  verdicts: string[];
  expectations: ExpectationResult[];
}
