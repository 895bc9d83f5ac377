// `lbsim predict`: the traffic split a balancer config produces, before rollout. The config (a proxy file,
// imported, or a scenario) runs with its clients (for an import, the placeholder traffic) over several seeds,
// twice: as written, and with one backend crashed early, measured once the tier has settled around the loss.
// Each backend's share is the mean over seeds with a 95% Student t interval (src/lab/statistics.ts).
import { parseDocument } from "yaml";
import { runVariants } from "../lab/scenario-runs.js";
import { meanInterval, type Interval } from "../lab/statistics.js";
import type { ScenarioConfig } from "../scenario/schema/scenario.js";
import { parseScenario } from "../scenario/load.js";
import type { RunSummary } from "../report/report-data.js";
import { seedsFrom } from "../cli/shared-options.js";

export interface PredictOptions {
  /** Requests measured per run (after the warm-up). Default 10,000. */
  requests?: number;
  /** Seeds per prediction. Default 5. */
  seeds?: number;
  /** The backend that fails; default the first primary. */
  fail?: string;
}

export interface BackendShare {
  name: string;
  weight: number;
  backup: boolean;
  share: Interval;
  /** Share once `failed` is down and the tier has settled; null for the failed backend itself. */
  shareAfterFailure: Interval | null;
}

export interface Prediction {
  scenario: string;
  defaults: string;
  requestsPerRun: number;
  seeds: string[];
  ratePerSecond: number;
  failed: string;
  /** How long after the crash measuring starts: the time to notice it, doubled. */
  settleMs: number;
  backends: BackendShare[];
  lostFraction: Interval;
  lostFractionAfterFailure: Interval;
}

const WARMUP_S = 5;

/** The offered rate of a scenario's open-loop clients (closed-loop groups are not counted), per second. */
function offeredRate(config: ScenarioConfig): number {
  let rate = 0;
  for (const group of config.clients) {
    const load = group.load as { kind: string; arrivals?: { kind: string; ratePerSecond?: number; rate?: number } };
    const r = load.arrivals?.ratePerSecond ?? load.arrivals?.rate;
    if (load.kind === "open" && typeof r === "number") rate += r;
  }
  return rate;
}

/** How long the tier takes to stop sending to a crashed backend: `fall` checks, or NGINX's fail_timeout. */
function settleSeconds(config: ScenarioConfig): number {
  const h = config.lb.health;
  const active = h.active === null ? 0 : (h.active.fall + 1) * (h.active.intervalUs + h.active.timeoutUs) / 1e6;
  const passive = h.passive.kind === "nginx" ? h.passive.failTimeoutUs / 1e6 : h.passive.kind === "envoy-outlier" ? h.passive.intervalUs / 1e6 : 0;
  return Math.max(5, Math.ceil(2 * Math.max(active, passive)));
}

export function predict(scenarioText: string, file: string, options: PredictOptions = {}): Prediction {
  const requests = options.requests ?? 10_000;
  const seedCount = options.seeds ?? 5;
  const first = parseScenario(scenarioText, file).base;
  const rate = offeredRate(first);
  if (!(rate > 0)) throw new RangeError("predict needs open-loop clients with a rate (clients[].load.open)");
  const failed = options.fail ?? first.backends.find((b) => !b.backup)?.name ?? first.backends[0]!.name;
  if (!first.backends.some((b) => b.name === failed)) throw new RangeError(`no backend named "${failed}" (${first.backends.map((b) => b.name).join(", ")})`);
  const measureS = Math.ceil(requests / rate);
  const settleS = settleSeconds(first);
  const doc = parseDocument(scenarioText);
  doc.set("duration", `${WARMUP_S + measureS}s`);
  doc.set("warmup", `${WARMUP_S}s`);
  doc.delete("expect");
  doc.delete("timeline");
  doc.set("variants", [
    { name: "as-written", set: {} },
    { name: "one-failed", set: { duration: `${WARMUP_S + settleS + measureS}s`, warmup: `${WARMUP_S + settleS}s`, timeline: [{ at: `${WARMUP_S}s`, crash: {}, targets: failed }] } },
  ]);
  const loaded = parseScenario(String(doc), file);
  const seeds = seedsFrom(String(first.seed), seedCount);
  const runs = seeds.map((seed) => runVariants(loaded, seed).map((r) => r.summary));
  const shares = (summary: RunSummary): Map<string, number> => {
    const total = summary.backends.reduce((s, b) => s + b.requests, 0);
    return new Map(summary.backends.map((b) => [b.name, total > 0 ? b.requests / total : 0]));
  };
  const before = runs.map((r) => shares(r[0]!));
  const after = runs.map((r) => shares(r[1]!));
  return {
    scenario: first.name,
    defaults: first.lb.proxy ?? "lbsim",
    requestsPerRun: requests,
    seeds,
    ratePerSecond: rate,
    failed,
    settleMs: settleS * 1000,
    backends: first.backends.map((b) => ({
      name: b.name,
      weight: b.weight,
      backup: b.backup,
      share: meanInterval(before.map((m) => m.get(b.name) ?? 0)),
      shareAfterFailure: b.name === failed ? null : meanInterval(after.map((m) => m.get(b.name) ?? 0)),
    })),
    lostFraction: meanInterval(runs.map((r) => r[0]!.requests.lostFraction)),
    lostFractionAfterFailure: meanInterval(runs.map((r) => r[1]!.requests.lostFraction)),
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const interval = (i: Interval): string => `${pct(i.mean)} (${pct(Math.max(0, i.low))}-${pct(Math.min(1, i.high))})`;

export function renderPrediction(p: Prediction, source: string): string {
  const header = [
    `Predicted split for ${source} (${p.defaults} defaults): ${p.seeds.length} seeds x ${p.requestsPerRun.toLocaleString("en-US")} requests at ${p.ratePerSecond}/s`,
    `Traffic is the scenario's clients (for an import, the placeholder in its clients section: edit it to match yours).`,
    "",
  ];
  const rows = [["backend", "weight", "share (95% CI)", `after ${p.failed} fails`], ...p.backends.map((b) => [
    `${b.name}${b.backup ? " (backup)" : ""}`, String(b.weight), interval(b.share), b.shareAfterFailure === null ? "failed" : interval(b.shareAfterFailure),
  ]), ["lost", "", interval(p.lostFraction), interval(p.lostFractionAfterFailure)]];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("   ").trimEnd());
  const footer = ["", `"after ${p.failed} fails": ${p.failed} crashes ${WARMUP_S}s in; shares are measured from ${p.settleMs / 1000}s after the crash (twice the time to notice it), once the tier has settled.`];
  return [...header, ...lines, ...footer].join("\n");
}
