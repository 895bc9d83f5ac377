// What happened, in one shape for both sides: the real run (the load generator's results, the proxy's log) and
// lbsim's prediction (a VariantResult). Counting follows lbsim's summary: a request still unanswered at the
// horizon is `unfinished`, not lost; latency percentiles are over successful requests; a backend's share is its
// attempts over all attempts (retries included).
import { performance } from "node:perf_hooks";
import type { VariantResult } from "../report/report-data.js";
import type { RequestResult } from "./load-generator.js";
import type { HealthEvent, ProxyRequestLog } from "./proxy-log.js";

export interface TimePoint {
  startMs: number;
  sent: number;
  ok: number;
  lost: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface Measured {
  sent: number;
  ok: number;
  lost: number;
  unfinished: number;
  lostFraction: number;
  /** Outcomes by cause, lbsim's names where the real cause maps onto one. */
  outcomes: Record<string, number>;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Attempts per backend and each one's share of all attempts. */
  attempts: Record<string, number>;
  shares: Record<string, number>;
  health: HealthEvent[];
  /** One point per window, for the report's curves. */
  windows: TimePoint[];
}

/** Percentile by nearest rank, as a person reads it off a sorted list; null for no samples. */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * The real cause of a failed request in lbsim's vocabulary, from what the client saw and the proxy logged
 * (HAProxy termination states, doc/configuration.txt 8.5: `sQ` queue timeout, `sH` server timeout, `SH` server
 * aborted, `SC` refused or no server; `<NOSRV>` means none was available).
 */
export function realCause(result: RequestResult, log: ProxyRequestLog | undefined): string {
  if (result.result === "ok") return "ok";
  if (result.result === "client-timeout") return "client-timeout";
  if (result.result === "reset") return "reset-mid-flight";
  if (result.result === "refused") return "connection-refused";
  const state = log?.termination ?? "";
  switch (result.status) {
    case 504: return "upstream-timeout";
    case 503:
      if (result.backend !== "") return "queue-full";
      if (state.startsWith("sQ")) return "queue-timeout";
      return "no-healthy-upstream";
    case 502:
      // HAProxy `SH`: the server aborted while the proxy waited for its headers (a reset mid-flight).
      if (state.startsWith("SH")) return "reset-mid-flight";
      return log !== undefined && log.servers.length > 1 ? "retries-exhausted" : "connection-refused";
    case 500: return "backend-error";
    default: return result.status >= 500 ? "backend-error" : `http-${result.status}`;
  }
}

/** `attemptsGiven`: per-backend attempts from the proxy's own counters (lbsim proxy) instead of its log lines. */
export function measureReal(results: readonly RequestResult[], logs: ReadonlyMap<number, ProxyRequestLog>, health: HealthEvent[], horizonUs: number, windowMs: number, attemptsGiven?: Record<string, number>): Measured {
  const outcomes: Record<string, number> = {};
  const latencies: number[] = [];
  const perWindow = new Map<number, { sent: number; ok: number; lost: number; latencies: number[] }>();
  let ok = 0;
  let lost = 0;
  let unfinished = 0;
  for (const r of results) {
    const endUs = r.sentUs + r.latencyUs;
    if (endUs > horizonUs) {
      unfinished++;
      outcomes.unfinished = (outcomes.unfinished ?? 0) + 1;
      continue;
    }
    // Windows hold the requests that ended in them, as lbsim's (src/report/report-data.ts WindowPoint).
    const w = Math.floor(endUs / 1000 / windowMs);
    const bucket = perWindow.get(w) ?? { sent: 0, ok: 0, lost: 0, latencies: [] };
    perWindow.set(w, bucket);
    bucket.sent++;
    const cause = realCause(r, logs.get(r.id));
    outcomes[cause] = (outcomes[cause] ?? 0) + 1;
    if (cause === "ok") {
      ok++;
      bucket.ok++;
      latencies.push(r.latencyUs / 1000);
      bucket.latencies.push(r.latencyUs / 1000);
    } else {
      lost++;
      bucket.lost++;
    }
  }
  const attempts: Record<string, number> = { ...(attemptsGiven ?? {}) };
  if (attemptsGiven === undefined) for (const log of logs.values()) for (const server of log.servers) attempts[server] = (attempts[server] ?? 0) + 1;
  latencies.sort((a, b) => a - b);
  const windows = [...perWindow.entries()].sort((a, b) => a[0] - b[0]).map(([w, b]) => {
    const sorted = b.latencies.sort((x, y) => x - y);
    return { startMs: w * windowMs, sent: b.sent, ok: b.ok, lost: b.lost, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
  });
  const sent = results.length;
  return {
    // lbsim's summary: lost / (sent - unfinished).
    sent, ok, lost, unfinished, lostFraction: sent - unfinished === 0 ? 0 : lost / (sent - unfinished), outcomes,
    p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99),
    attempts, shares: shares(attempts), health, windows,
  };
}

const HEALTH_EVENT: Record<string, HealthEvent["state"]> = { unhealthy: "down", healthy: "up", draining: "drain", drained: "maint" };

export function measureSimulated(result: VariantResult, windowMs: number): Measured {
  const s = result.summary;
  const outcomes: Record<string, number> = {};
  for (const [cause, count] of Object.entries(s.requests.outcomes)) if (count > 0) outcomes[cause] = count;
  const attempts: Record<string, number> = {};
  for (const b of s.backends) attempts[b.name] = b.requests;
  // Transitions are the starts of spans after time 0, on the first balancer node (conformance runs have one).
  const firstNode = result.series.health[0]?.node;
  const health = result.series.health
    .filter((span) => span.node === firstNode && span.fromMs > 0)
    .map((span) => ({ atMs: span.fromMs, backend: span.backend, state: HEALTH_EVENT[span.state] ?? "down", reason: "simulated" }))
    .sort((a, b) => a.atMs - b.atMs);
  const windows = result.series.windows.map((w) => ({
    startMs: Math.round(w.startMs / windowMs) * windowMs, sent: w.count, ok: w.ok, lost: w.failed,
    p50Ms: w.ok > 0 ? w.p50Ms : null, p99Ms: w.ok > 0 ? w.p99Ms : null,
  }));
  return {
    sent: s.requests.sent, ok: s.requests.ok, lost: s.requests.lost, unfinished: s.requests.outcomes.unfinished,
    lostFraction: s.requests.lostFraction, outcomes,
    p50Ms: s.latencyMs.count > 0 ? s.latencyMs.p50 : null, p99Ms: s.latencyMs.count > 0 ? s.latencyMs.p99 : null,
    attempts, shares: shares(attempts), health, windows,
  };
}

function shares(attempts: Record<string, number>): Record<string, number> {
  const total = Object.values(attempts).reduce((a, b) => a + b, 0);
  const out: Record<string, number> = {};
  for (const [name, n] of Object.entries(attempts)) out[name] = total === 0 ? 0 : n / total;
  return out;
}

/** Milliseconds on the lab's monotonic clock. */
export function nowMs(): number {
  return performance.now();
}
