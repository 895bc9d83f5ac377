// A realistic ScenarioReport for the report tests, built from a small seeded generator (no simulation needed): three
// variants, 300 one-second windows, four backends behind two balancer nodes, GC pauses, a backend that hangs at
// 120 s and is marked down by the health checks some seconds later ("health check black hole"), and a comparison
// over ten seeds. Every name can be replaced, so tests can feed hostile strings through every field.
import { OUTCOMES, type Outcome } from "../../src/metrics/ledger.js";
import {
  SUMMARY_SCHEMA_VERSION,
  type BackendPoint,
  type BackendStateSpan,
  type ComparisonRow,
  type ExpectationResult,
  type HealthSpan,
  type Marker,
  type RunSummary,
  type ScenarioReport,
  type VariantResult,
  type WindowPoint,
} from "../../src/report/report-data.js";

export interface FixtureOptions {
  name?: string;
  title?: string;
  description?: string;
  variants?: readonly string[];
  backends?: readonly string[];
  nodes?: readonly string[];
  windows?: number;
}

/** mulberry32: a few lines, seeded, good enough to make plausible-looking test data. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round = (value: number, digits = 3): number => Number(value.toFixed(digits));
const zeroOutcomes = (): Record<Outcome, number> => Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;

const HANG_AT_MS = 120_000;
const RECOVER_AT_MS = 200_000;

function variantResult(options: Required<FixtureOptions>, variant: string, index: number): VariantResult {
  const rng = generator(1000 + index);
  // Detection delay grows with the variant index: the first variant's checks are the slowest to notice the hang.
  const detectMs = 15_000 - index * 5_000;
  const badBackend = options.backends[2 % options.backends.length]!;
  const windows: WindowPoint[] = [];
  const backendLoad: BackendPoint[] = [];
  const totals = zeroOutcomes();
  let retries = 0;
  for (let w = 0; w < options.windows; w++) {
    const startMs = w * 1000;
    const hung = startMs >= HANG_AT_MS && startMs < HANG_AT_MS + detectMs;
    const count = 180 + Math.floor(rng() * 40);
    const outcomes: Partial<Record<Outcome, number>> = {};
    let failed = 0;
    if (hung) {
      const timeouts = Math.floor(count / options.backends.length);
      outcomes["upstream-timeout"] = timeouts;
      failed += timeouts;
      retries += Math.floor(timeouts / 2);
    }
    if (rng() < 0.05) {
      outcomes["queue-full"] = 1 + Math.floor(rng() * 4);
      failed += outcomes["queue-full"];
    }
    if (index === 0 && rng() < 0.02) {
      outcomes["connection-refused"] = 1;
      failed += 1;
    }
    const ok = count - failed;
    outcomes.ok = ok;
    for (const [name, value] of Object.entries(outcomes)) totals[name as Outcome] += value;
    const gcSpike = rng() < 0.08 ? 40 + rng() * 200 : 0;
    const p50 = 4 + rng() * 2 + index * 0.3;
    windows.push({
      startMs,
      endMs: startMs + 1000,
      count,
      ok,
      failed,
      p50Ms: round(p50),
      p90Ms: round(p50 * 2.2 + rng() * 3),
      p99Ms: round(p50 * 5 + gcSpike + (hung ? 900 : 0) + rng() * 10),
      maxMs: round(p50 * 6 + gcSpike + (hung ? 900 : 0) + 10),
      failedP50Ms: failed > 0 ? 5000 : 0,
      failedP99Ms: failed > 0 ? 5000 : 0,
      failedMaxMs: failed > 0 ? 5001 : 0,
      outcomes,
    });
    options.backends.forEach((backend, b) => {
      const isBad = backend === badBackend && startMs >= HANG_AT_MS && startMs < RECOVER_AT_MS;
      const down = isBad && startMs >= HANG_AT_MS + detectMs;
      const inFlight = down ? 0 : isBad ? 40 + rng() * 5 : 2 + rng() * 2 + b * 0.4 * (index === 0 ? 1 : 0.2);
      backendLoad.push({
        backend,
        startMs,
        endMs: startMs + 1000,
        meanInFlight: round(inFlight),
        maxInFlight: Math.ceil(inFlight * 1.8),
        utilisation: round(down ? 0 : isBad ? 1 : Math.min(1, inFlight / 8)),
        started: down ? 0 : Math.floor(count / options.backends.length),
      });
    });
  }

  const health: HealthSpan[] = [];
  const endMs = options.windows * 1000;
  for (const node of options.nodes) {
    for (const backend of options.backends) {
      if (backend !== badBackend || endMs <= HANG_AT_MS) {
        health.push({ node, backend, state: "healthy", fromMs: 0, toMs: endMs });
        continue;
      }
      const nodeLagMs = options.nodes.indexOf(node) * 1500;
      const downAt = Math.min(endMs, HANG_AT_MS + detectMs + nodeLagMs);
      const upAt = Math.min(endMs, RECOVER_AT_MS + 4000 + nodeLagMs);
      health.push({ node, backend, state: "healthy", fromMs: 0, toMs: downAt });
      health.push({ node, backend, state: "unhealthy", fromMs: downAt, toMs: upAt });
      if (upAt < endMs) health.push({ node, backend, state: "healthy", fromMs: upAt, toMs: endMs });
    }
  }

  const markers: Marker[] = [];
  const gcRng = generator(7); // the same GC schedule in every variant: common random numbers
  for (const backend of options.backends) {
    for (let at = 3000 + gcRng() * 4000; at < endMs; at += 5000 + gcRng() * 6000) {
      markers.push({ backend, kind: "gc", atMs: round(at, 1), endMs: round(at + 20 + gcRng() * 400, 1) });
    }
  }
  if (endMs > HANG_AT_MS) markers.push({ backend: badBackend, kind: "hang", atMs: HANG_AT_MS });
  if (endMs > RECOVER_AT_MS) markers.push({ backend: badBackend, kind: "restart", atMs: RECOVER_AT_MS });
  markers.sort((a, b) => a.atMs - b.atMs);

  const latencyCdf: Array<{ latencyMs: number; fraction: number }> = [];
  for (let i = 1; i <= 120; i++) {
    const fraction = 1 - Math.pow(0.93, i);
    latencyCdf.push({ latencyMs: round(3 + index * 0.3 + Math.pow(i, 1.6) * 0.08), fraction: round(i === 120 ? 1 : fraction, 6) });
  }

  const sent = windows.reduce((sum, window) => sum + window.count, 0);
  const ok = totals.ok;
  const lost = sent - ok - totals.unfinished;
  const summary: RunSummary = {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    scenario: options.name,
    variant,
    seed: "42",
    version: "0.1.0",
    simulatedMs: endMs,
    events: sent * 7,
    requests: {
      sent,
      ok,
      lost,
      lostFraction: sent > 0 ? lost / sent : 0,
      outcomes: totals,
    },
    tries: { sent, ok, failed: lost, retries: 0, outcomes: totals },
    attempts: {
      sent: sent + retries, ok, failed: lost + retries, retries, hedges: 0, duplicates: index === 0 ? 3 : 0,
      outcomes: {
        ok, "backend-error": 0, "connection-refused": totals["connection-refused"], "reset-mid-flight": 0,
        "queue-full": totals["queue-full"], "upstream-timeout": totals["upstream-timeout"] + retries, cancelled: 0, unfinished: totals.unfinished,
      },
    },
    latencyMs: { count: ok, mean: 6.1 + index * 0.3, p50: 5 + index * 0.3, p90: 11.2, p99: 38.5 - index * 4, p999: 912 - index * 300, max: 2400 },
    failedLatencyMs: { count: lost, mean: 5000, p50: 5000, p90: 5000, p99: 5000, p999: 5001, max: 5001 },
    backends: options.backends.map((name) => ({
      name,
      requests: Math.floor(sent / options.backends.length),
      ok: Math.floor(ok / options.backends.length),
      failed: name === badBackend ? totals["upstream-timeout"] : 0,
      timeInStateMs: name === badBackend ? { healthy: endMs - 90_000, unhealthy: 90_000 } : { healthy: endMs },
      healthTransitions: name === badBackend ? 2 : 0,
      utilisation: 0.4,
    })),
    sessionsLost: 0,
    orphanedExecutions: 0,
  };
  // What the backends really were: up, except the bad one, hung from HANG_AT_MS until RECOVER_AT_MS.
  const backendStates: BackendStateSpan[] = options.backends.flatMap((backend) => {
    if (backend !== badBackend || endMs <= HANG_AT_MS) return [{ backend, state: "up", fromMs: 0, toMs: endMs }];
    const recoverAt = Math.min(endMs, RECOVER_AT_MS);
    return [
      { backend, state: "up", fromMs: 0, toMs: HANG_AT_MS },
      { backend, state: "hung", fromMs: HANG_AT_MS, toMs: recoverAt },
      ...(recoverAt < endMs ? [{ backend, state: "up", fromMs: recoverAt, toMs: endMs }] : []),
    ];
  });
  return { summary, series: { windows, backendLoad, health, backendStates, markers, latencyCdf } };
}

export function buildFixtureReport(overrides: FixtureOptions = {}): ScenarioReport {
  const options: Required<FixtureOptions> = {
    name: overrides.name ?? "black-hole",
    title: overrides.title ?? "Health check black hole",
    description:
      overrides.description ??
      "A backend hangs at 120 s but keeps its listen socket open.\n\nThe health checks take seconds to notice; meanwhile requests time out.",
    variants: overrides.variants ?? ["round-robin", "least-connections", "peak-ewma"],
    backends: overrides.backends ?? ["api-1", "api-2", "api-3", "api-4"],
    nodes: overrides.nodes ?? ["lb-a", "lb-b"],
    windows: overrides.windows ?? 300,
  };
  const variants = options.variants.map((variant, index) => variantResult(options, variant, index));
  const comparison: ComparisonRow[] = [];
  for (const metric of ["p99Ms", "lostFraction", "retries"]) {
    options.variants.forEach((variant, index) => {
      const mean = metric === "p99Ms" ? 38 - index * 4 : metric === "lostFraction" ? 0.012 - index * 0.004 : 900 - index * 250;
      const half = mean * 0.08;
      comparison.push({ metric, variant, better: "lower", unit: "", seeds: 10, mean, ciLow: round(mean - half, 6), ciHigh: round(mean + half, 6) });
    });
  }
  const first = variants[0]!.summary;
  const expectations: ExpectationResult[] = variants.map((v, index) => ({
    text: `${v.summary.variant}: requests.lostFraction < 0.01`,
    variant: v.summary.variant,
    actual: v.summary.requests.lostFraction,
    passed: index > 0,
  }));
  expectations.push({ text: "latencyMs.p99 < 50", variant: first.variant, actual: first.latencyMs.p99, passed: true });
  return {
    scenario: { name: options.name, title: options.title, description: options.description, file: `scenarios/${options.name}.yaml` },
    command: `lbsim run scenarios/${options.name}.yaml --seed 42 --out reports/${options.name}`,
    seed: "42",
    version: "0.1.0",
    variants,
    comparison,
    comparisonSeeds: options.variants.length > 1 ? ["42", "42-2", "42-3", "42-4", "42-5", "42-6", "42-7", "42-8", "42-9", "42-10"] : [],
    verdicts: options.variants.length > 1 ? [`${options.variants[1]} beats ${options.variants[0]} on p99Ms (95% CI)`] : [],
    expectations,
    skippedExpectations: [],
  };
}

/** A report whose runs recorded nothing: every chart has to be skipped with a note. */
export function buildEmptyReport(): ScenarioReport {
  const report = buildFixtureReport({ windows: 0, variants: ["only"] });
  for (const variant of report.variants) {
    variant.series = { windows: [], backendLoad: [], health: [], backendStates: [], markers: [], latencyCdf: [] };
    variant.summary.requests.outcomes = zeroOutcomes();
  }
  return { ...report, comparison: [], comparisonSeeds: [], verdicts: [], expectations: [] };
}
