// The default event budget of a scenario: proportional to the work the scenario can cause, so a runaway model
// fails (exit 3, with the seed) within a few times the run's honest length instead of after 2e9 events. A
// scenario's `maxEvents` replaces it. Time that stops (events at one instant) is the watchdog's job
// (src/engine/watchdog.ts); this budget bounds a run whose time moves but whose work grows without end.
//
// The estimate is an upper bound on what a run needs, built from the scenario's own numbers:
// - requests: each open-loop group at its peak rate (the arrival process's and every traffic step's), each
//   closed-loop user once per cycle (think time + two hops each way + parsing, at least 1 us), for the duration;
//   a replayed log's requests as many times as the log plays;
// - events per request: 8 per try (send, front door, parse, attempt arrival, completion, result, answer,
//   receive), times the balancer's tries (plus a hedge), times the client's tries;
// - background: per node and backend, a health check start and result per check interval; per backend, a GC
//   start and end per mean GC interval; per node, a load report and a reweighting per interval; backends counted twice over (deploys and adds bring replacements);
// then SAFETY x that, plus a floor for small runs.
import { createDistribution } from "../engine/distributions/create.js";
import type { ArrivalSpec } from "../model/arrivals/create-arrival-process.js";
import type { ClientGroupConfig } from "../model/client-config.js";
import type { ScenarioConfig } from "./schema/scenario.js";

const EVENTS_PER_TRY = 8;
const SAFETY = 4;
const FLOOR = 1_000_000;

/**
 * The default `maxEvents` for a scenario; `traffic` is each traffic step's new arrival specs by group, `built` the
 * client groups as built (a replayed log's requests are known only there).
 */
export function defaultEventBudget(config: ScenarioConfig, traffic: ReadonlyMap<number, ArrivalSpec[]>, built: readonly ClientGroupConfig[]): number {
  const seconds = config.durationUs / 1e6;
  const lb = config.lb;
  const triesPerRequest = lb.retries.tries + (lb.retries.hedge === null ? 0 : 1);
  const roundTripUs = 2 * (createDistribution(config.network.clientToLbUs).mean + createDistribution(config.network.lbToBackendUs).mean)
    + createDistribution(lb.parseOverhead).mean;
  const peakByGroup = trafficPeaks(config, traffic);
  let requestEvents = 0;
  config.clients.forEach((group, g) => {
    const requests = group.load.kind === "open"
      ? Math.max(peakRate(group.load.arrivals), peakByGroup.get(group.name) ?? 0) * seconds
      : group.load.kind === "closed"
        ? ((group.count * 1e6) / Math.max(1, createDistribution(group.load.thinkUs).mean + roundTripUs)) * seconds
        : replayedRequests(built[g]!, config.durationUs);
    const clientTries = 1 + (group.retry?.maxRetries ?? 0);
    requestEvents += requests * EVENTS_PER_TRY * triesPerRequest * clientTries;
  });
  const added = config.timeline.reduce((n, step) => n + (step.action === "add" ? step.params.backends.length : 0), 0);
  const backends = 2 * (config.backends.length + added);
  const checkIntervalUs = lb.health.active === null ? Infinity : Math.max(1, Math.min(lb.health.active.intervalUs, lb.health.active.fastIntervalUs ?? Infinity));
  let perSecond = (lb.nodes.length * backends * 2e6) / checkIntervalUs;
  if (lb.loadFeedback !== null) perSecond += (lb.nodes.length * 1e6) / lb.loadFeedback.interval;
  if (lb.dynamicWeights !== null) perSecond += (lb.nodes.length * 1e6) / lb.dynamicWeights.interval;
  for (const backend of config.backends) {
    for (const gc of backend.gc) perSecond += 2 * (2e6 / Math.max(1, createDistribution(gc.intervalUs).mean));
  }
  return Math.ceil(SAFETY * (requestEvents + perSecond * seconds)) + FLOOR;
}

function trafficPeaks(config: ScenarioConfig, traffic: ReadonlyMap<number, ArrivalSpec[]>): Map<string, number> {
  const peaks = new Map<string, number>();
  config.timeline.forEach((step, index) => {
    if (step.action !== "traffic") return;
    step.params.groups.forEach((group, i) => peaks.set(group, Math.max(peaks.get(group) ?? 0, peakRate(traffic.get(index)![i]!))));
  });
  return peaks;
}

/** The highest rate an arrival process reaches, per second. */
export function peakRate(spec: ArrivalSpec): number {
  switch (spec.kind) {
    case "poisson":
    case "constant":
      return spec.ratePerSecond;
    case "bursty":
      return Math.max(spec.onRatePerSecond, spec.offRatePerSecond);
    case "timeline":
      return Math.max(...spec.points.map((p) => p.ratePerSecond));
    case "diurnal":
      return spec.baseRatePerSecond * (1 + spec.amplitude);
    case "renewal":
      return 1e6 / Math.max(1, createDistribution(spec.interarrivalUs).mean);
  }
}

/** A replayed log's requests within the run: the log once, or as many times as its period fits. */
function replayedRequests(group: ClientGroupConfig, durationUs: number): number {
  if (group.load.kind !== "replay") return 0;
  const log = group.load.requests;
  return log.offsetsUs.length * (log.periodUs === null ? 1 : Math.ceil(durationUs / Math.max(1, log.periodUs)));
}
