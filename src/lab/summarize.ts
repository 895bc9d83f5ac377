// From a finished run to the documents people read: the summary (`--json`) and the series behind the charts.
import { OUTCOME, OUTCOMES, type Outcome } from "../metrics/ledger.js";
import { valueAtPercentile, type LatencySummary } from "../metrics/histogram.js";
import type { LbTier } from "../model/lb/lb-tier.js";
import { HEALTH_STATE_NAMES } from "../model/lb/node-health.js";
import type { World, WorldResult } from "../model/world.js";
import { SUMMARY_SCHEMA_VERSION, type BackendSummary, type LatencySummaryMs, type RunSeries, type RunSummary, type WindowPoint } from "../report/report-data.js";
import type { RunObserver } from "./run-observer.js";
import { LBSIM_VERSION, type RunPlan } from "./run-plan.js";

const toMs = (us: number): number => Math.round(us) / 1000;

export function buildSummary(plan: RunPlan, world: World, tier: LbTier, result: WorldResult, observer: RunObserver): RunSummary {
  const { requests, tries, attempts } = result.ledger;
  const answered = requests.sent - requests.outcomes.unfinished;
  const latency = observer.latency.summary();
  return {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    scenario: plan.scenario,
    variant: plan.variant,
    seed: String(plan.world.seed),
    version: LBSIM_VERSION,
    simulatedMs: toMs(result.run.endTimeUs),
    events: result.run.events,
    requests: {
      sent: requests.sent, ok: requests.ok, lost: requests.failed,
      lostFraction: answered > 0 ? requests.failed / answered : 0,
      outcomes: requests.outcomes,
    },
    tries: { sent: tries.sent, ok: tries.ok, failed: tries.failed, retries: tries.retries, outcomes: tries.outcomes },
    attempts: {
      sent: attempts.sent, ok: attempts.ok, failed: attempts.failed, retries: attempts.retries, hedges: attempts.hedges,
      duplicates: attempts.duplicates, outcomes: attempts.outcomes,
    },
    latencyMs: latencyMs(latency.byOutcome.ok),
    failedLatencyMs: latencyMs(latency.failed),
    backends: world.backends.map((backend, i): BackendSummary => {
      const perBackend = result.perBackend[i]!;
      return {
        name: backend.name,
        requests: perBackend.attempts,
        ok: perBackend.ok,
        failed: perBackend.failed,
        timeInStateMs: timeInState(observer, backend.name, tier.nodes.length),
        healthTransitions: tier.nodes.reduce((sum, node) => sum + node.health.transitionsOf(i), 0),
        utilisation: round(observer.gauges.summary(i).utilisation),
      };
    }),
    sessionsLost: result.sessionsLost,
    orphanedExecutions: result.orphanedExecutions,
  };
}

function latencyMs(s: LatencySummary): LatencySummaryMs {
  return { count: s.count, mean: round(s.mean / 1000), p50: toMs(s.p50), p90: toMs(s.p90), p99: toMs(s.p99), p999: toMs(s.p999), max: toMs(s.max) };
}

/** Milliseconds in each health state, averaged over the nodes (each node has its own view). */
function timeInState(observer: RunObserver, backend: string, nodes: number): Record<string, number> {
  const times = observer.stateTimeUs.get(backend);
  return Object.fromEntries(HEALTH_STATE_NAMES.map((name, i) => [name, round((times?.[i] ?? 0) / 1000 / nodes)]));
}

export function buildSeries(world: World, observer: RunObserver): RunSeries {
  const windows: WindowPoint[] = observer.latency.windows().map((w) => {
    const outcomes: Partial<Record<Outcome, number>> = {};
    w.outcomes.forEach((count, i) => {
      if (count > 0) outcomes[OUTCOMES[i]!] = count;
    });
    return {
      startMs: toMs(w.startUs), endMs: toMs(w.endUs), count: w.count, ok: w.ok, failed: w.failed,
      p50Ms: toMs(w.p50Us), p90Ms: toMs(w.p90Us), p99Ms: toMs(w.p99Us), maxMs: toMs(w.maxUs),
      failedP50Ms: toMs(w.failedP50Us), failedP99Ms: toMs(w.failedP99Us), failedMaxMs: toMs(w.failedMaxUs), outcomes,
    };
  });
  const backendLoad = world.backends.flatMap((backend, i) =>
    observer.gauges.windows(i).map((w) => ({
      backend: backend.name, startMs: toMs(w.startUs), endMs: toMs(w.endUs),
      meanInFlight: round(w.meanInFlight), maxInFlight: w.maxInFlight, utilisation: round(w.utilisation), started: w.started,
    })));
  return {
    windows, backendLoad, health: observer.healthSpans, backendStates: observer.backendStates.spans,
    markers: observer.markers(), latencyCdf: latencyCdf(observer),
  };
}

/** The CDF of successful requests' latency at fixed percentiles: enough points for a smooth curve. */
function latencyCdf(observer: RunObserver): Array<{ latencyMs: number; fraction: number }> {
  const histogram = observer.latency.histogramOf(OUTCOME.ok);
  if (histogram.totalCount === 0) return [];
  const points: Array<{ latencyMs: number; fraction: number }> = [];
  for (const percentile of CDF_PERCENTILES) {
    points.push({ latencyMs: toMs(valueAtPercentile(histogram, percentile)), fraction: percentile / 100 });
  }
  return points;
}

/** Every percent, then the tail in tenths and hundredths: a smooth curve where latency distributions differ. */
const CDF_PERCENTILES = [
  0.1, 0.5,
  ...Array.from({ length: 99 }, (_, i) => i + 1),
  ...Array.from({ length: 9 }, (_, i) => 99 + (i + 1) / 10),
  99.95, 99.99, 100,
];

const round = (value: number): number => Number(value.toPrecision(6));
