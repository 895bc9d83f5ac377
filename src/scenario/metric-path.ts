// The metrics an `expect:` line may name: dotted paths into RunSummary (src/report/report-data.ts), with
// backends addressed by name (`backends.app-1.requests`) although the summary holds them as a list. Checked
// when the scenario loads, so a typo fails before a long run rather than after it.
//
// `requests.*` and `latencyMs.*` are about user requests (one outcome each, after client retries); `tries.*` and
// `attempts.*` are the client's and the balancer's tries beneath them (summary schema 2).
import { ATTEMPT_OUTCOMES, OUTCOMES } from "../metrics/ledger.js";
import type { RunSummary } from "../report/report-data.js";

const REQUEST_FIELDS = ["sent", "ok", "lost", "lostFraction"] as const;
const TRY_FIELDS = ["sent", "ok", "failed", "retries"] as const;
const ATTEMPT_FIELDS = ["sent", "ok", "failed", "retries", "hedges", "duplicates"] as const;
const LATENCY_FIELDS = ["count", "mean", "p50", "p90", "p99", "p999", "max"] as const;
const BACKEND_FIELDS = ["requests", "ok", "failed", "healthTransitions", "utilisation"] as const;
const TOP_FIELDS = ["simulatedMs", "events", "sessionsLost", "orphanedExecutions"] as const;

/** Every metric name without a backend in it, for messages and did-you-mean. */
export const FIXED_METRICS: readonly string[] = [
  ...REQUEST_FIELDS.map((f) => `requests.${f}`),
  ...OUTCOMES.map((o) => `requests.outcomes.${o}`),
  ...TRY_FIELDS.map((f) => `tries.${f}`),
  ...OUTCOMES.map((o) => `tries.outcomes.${o}`),
  ...ATTEMPT_FIELDS.map((f) => `attempts.${f}`),
  ...ATTEMPT_OUTCOMES.map((o) => `attempts.outcomes.${o}`),
  ...LATENCY_FIELDS.map((f) => `latencyMs.${f}`),
  ...LATENCY_FIELDS.map((f) => `failedLatencyMs.${f}`),
  ...TOP_FIELDS,
];

/** Names from summary schema 1, and where each went, so an old `expect:` line gets a pointed message. */
export const RENAMED_METRICS: Readonly<Record<string, string>> = {
  "requests.retries": "attempts.retries",
  "requests.clientRetries": "tries.retries",
  "requests.duplicates": "attempts.duplicates",
  "requests.hedges": "attempts.hedges",
};

/** What a metric name looks like, for messages (`expect:` lines, `sweep --metric`). */
export const METRIC_EXPECTED = "a RunSummary metric such as requests.lostFraction, latencyMs.p99, requests.outcomes.client-timeout or backends.<name>.requests";

/** Every backend a metric may name: the scenario's, and those its timeline adds. */
export function metricBackendNames(config: { backends: ReadonlyArray<{ name: string }>; timeline: ReadonlyArray<{ action: string; targets: readonly string[] }> }): string[] {
  return [...config.backends.map((b) => b.name), ...config.timeline.flatMap((s) => (s.action === "add" ? s.targets : []))];
}

/** All metric names for a scenario with these backends. */
export function knownMetrics(backendNames: readonly string[]): string[] {
  return [...FIXED_METRICS, ...backendNames.flatMap((b) => BACKEND_FIELDS.map((f) => `backends.${b}.${f}`))];
}

/** True when `metric` names a number in a RunSummary of a scenario with these backends. */
export function isKnownMetric(metric: string, backendNames: readonly string[]): boolean {
  if (FIXED_METRICS.includes(metric)) return true;
  if (!metric.startsWith("backends.")) return false;
  const dot = metric.lastIndexOf(".");
  const backend = metric.slice("backends.".length, dot);
  return backendNames.includes(backend) && (BACKEND_FIELDS as readonly string[]).includes(metric.slice(dot + 1));
}

/** The value of a metric in a summary (NaN if the summary has no such number, e.g. a backend never added). */
export function metricValue(summary: RunSummary, metric: string): number {
  if (metric.startsWith("backends.")) {
    const dot = metric.lastIndexOf(".");
    const backend = summary.backends.find((b) => b.name === metric.slice("backends.".length, dot));
    const value = backend === undefined ? undefined : (backend as unknown as Record<string, unknown>)[metric.slice(dot + 1)];
    return typeof value === "number" ? value : Number.NaN;
  }
  let node: unknown = summary;
  for (const part of metric.split(".")) {
    node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  }
  return typeof node === "number" ? node : Number.NaN;
}
