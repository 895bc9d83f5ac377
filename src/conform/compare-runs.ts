// Real against simulated, metric by metric, each with its tolerance (tolerance.ts) and verdict.
import type { MetricSpec } from "./conform-case.js";
import type { Measured } from "./measure.js";
import { LOST_TOLERANCE, SHARE_TOLERANCE, latencyTolerance, row, type MetricRow } from "./tolerance.js";

/** First time after `fromMs` the backend entered `state`, measured from `fromMs`; null if it never did. */
export function firstTransition(m: Measured, backend: string, state: "down" | "up", fromMs: number): number | null {
  const event = m.health.find((e) => e.backend === backend && e.state === state && e.atMs >= fromMs);
  return event === undefined ? null : event.atMs - fromMs;
}

export function compareRuns(specs: readonly MetricSpec[], real: Measured, simulated: Measured, checkIntervalMs: number): MetricRow[] {
  const rows: MetricRow[] = [];
  for (const spec of specs) {
    switch (spec.kind) {
      case "lost":
        rows.push(row("lost fraction", real.lostFraction, simulated.lostFraction, LOST_TOLERANCE, "fraction"));
        break;
      case "share": {
        const realShares = comparedShares(real.shares, spec.together);
        const simulatedShares = comparedShares(simulated.shares, spec.together);
        const names = [...new Set([...Object.keys(simulatedShares), ...Object.keys(realShares)])].sort();
        for (const name of names) rows.push(row(`share ${name}`, realShares[name] ?? 0, simulatedShares[name] ?? 0, SHARE_TOLERANCE, "fraction"));
        break;
      }
      case "latency": {
        const key = spec.quantile === 50 ? "p50Ms" : "p99Ms";
        const sim = simulated[key];
        rows.push(row(`p${spec.quantile} ms`, real[key], sim, latencyTolerance(sim ?? 0), "ms"));
        break;
      }
      case "detection":
      case "recovery": {
        const state = spec.kind === "detection" ? "down" : "up";
        rows.push(row(`${spec.kind} ${spec.backend} ms`, firstTransition(real, spec.backend, state, spec.fromMs), firstTransition(simulated, spec.backend, state, spec.fromMs), checkIntervalMs, "ms"));
        break;
      }
    }
  }
  return rows;
}

/** Each backend's share, with the `together` backends summed into one share named `a+b` (in the order given). */
export function comparedShares(shares: Readonly<Record<string, number>>, together: readonly string[] | undefined): Record<string, number> {
  if (together === undefined || together.length === 0) return { ...shares };
  const out: Record<string, number> = {};
  let combined = 0;
  for (const [name, share] of Object.entries(shares)) {
    if (together.includes(name)) combined += share;
    else out[name] = share;
  }
  out[together.join("+")] = combined;
  return out;
}
