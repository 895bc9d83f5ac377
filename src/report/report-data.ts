// The data a run produces for people: the summary document (`lbsim run --json`) and the series behind the
// charts. The lab fills these in; the report renders them; nothing else reads the simulation's internals.
// Times for people are in milliseconds (the unit suffix says so); simulated time inside is microseconds.
import type { LatencySummary } from "../metrics/histogram.js";
import type { AttemptOutcome, Outcome } from "../metrics/ledger.js";

/**
 * The summary document's shape version. 2: `requests` counts user requests (one outcome each, after client
 * retries; latency from first send to final answer), `tries` and `attempts` carry client and balancer retries,
 * hedges and duplicates, and `failedLatencyMs` is new. 1 (unnumbered) counted every client try as a request.
 */
export const SUMMARY_SCHEMA_VERSION = 2;

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
  schemaVersion: number;
  scenario: string;
  variant: string;
  seed: string;
  version: string;
  simulatedMs: number;
  events: number;
  /** User requests sent after the warm-up: each ends in one outcome, after all of its client's retries. */
  requests: {
    sent: number;
    ok: number;
    /** sent - ok - unfinished: every named loss cause. */
    lost: number;
    /** lost / (sent - unfinished). */
    lostFraction: number;
    outcomes: Record<Outcome, number>;
  };
  /** Client sends of those user requests: the first try of each and every client retry. */
  tries: {
    sent: number;
    ok: number;
    failed: number;
    /** Client retries: sent - requests.sent. */
    retries: number;
    outcomes: Record<Outcome, number>;
  };
  /** Upstream attempts for those tries: each try's first, balancer retries and hedges. */
  attempts: {
    sent: number;
    ok: number;
    failed: number;
    /** Balancer retries (NGINX `proxy_next_upstream`, HAProxy `retries`). */
    retries: number;
    hedges: number;
    /** Executions of a non-idempotent request beyond its first (it ran twice). */
    duplicates: number;
    outcomes: Record<AttemptOutcome, number>;
  };
  /** Latency of successful user requests, from first send to final answer (client retries included). */
  latencyMs: LatencySummaryMs;
  /** Latency of failed user requests (every loss cause), from first send to the final failure. */
  failedLatencyMs: LatencySummaryMs;
  backends: BackendSummary[];
  sessionsLost: number;
  orphanedExecutions: number;
}

/** One time window of user requests that ended in it: outcomes, and latency from first send to final answer. */
export interface WindowPoint {
  startMs: number;
  endMs: number;
  count: number;
  ok: number;
  failed: number;
  /** Percentiles and max of the window's successful requests. */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** p50, p99 and max of the window's failed requests (every loss cause). */
  failedP50Ms: number;
  failedP99Ms: number;
  failedMaxMs: number;
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

/**
 * A stretch of time a backend really spent in one state, whatever the balancer thought: `up`, `not-ready`
 * (starting or warming before it is ready), `degraded` (slowed, answering 5xx or a dependency down),
 * `gc-pause`, `hung` or `down`.
 */
export interface BackendStateSpan {
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
  /** What each backend really was, beside what the balancer nodes saw (`health`). */
  backendStates: BackendStateSpan[];
  markers: Marker[];
  /** The latency distribution of successful requests: (latency, cumulative fraction) points. */
  latencyCdf: Array<{ latencyMs: number; fraction: number }>;
}

export interface VariantResult {
  summary: RunSummary;
  series: RunSeries;
}

export type MetricUnit = "%" | "ms" | "";

/** A metric compared across variants over several seeds (common random numbers): mean and 95% CI. */
export interface ComparisonRow {
  metric: string;
  variant: string;
  /** Which way is better for this metric (losses, latency and retries: lower). */
  better: "lower" | "higher";
  /** How to show it: a fraction as percent, milliseconds, or a plain number. */
  unit: MetricUnit;
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

/** An `expect:` line a run could not check, because a variant it names did not run (`--variant`). */
export interface SkippedExpectation {
  /** The variant it is about, or "every variant". */
  variant: string;
  text: string;
  reason: string;
}

export interface ScenarioReport {
  /** `defaults`: whose tier defaults applied (lb.proxy), e.g. "haproxy", or "lbsim" when no proxy is named. */
  scenario: { name: string; title: string; description: string; file: string; defaults?: string };
  /** The command that reproduces this report exactly (scenario, seed, version). */
  command: string;
  seed: string;
  version: string;
  variants: VariantResult[];
  comparison: ComparisonRow[];
  /** The seeds the comparison ran (empty without one); the other charts show the first seed's runs. */
  comparisonSeeds: string[];
  /** Plain-language verdicts of the comparison, e.g. "least-connections beats round-robin on p99 (95% CI)". */
  verdicts: string[];
  expectations: ExpectationResult[];
  skippedExpectations: SkippedExpectation[];
}
