// A case's verdict from its metrics and whether the machine kept the load generator's schedule, and the suite's
// exit code from its cases: a model mismatch (1) is never reported for a run the machine starved, and a starved
// run is never reported as a pass unless every metric agreed all the same.
import type { MetricRow } from "./tolerance.js";

export type CaseStatus = "passed" | "failed" | "inconclusive" | "known" | "skipped";

/**
 * passed: every metric within tolerance (busy or not: lateness only pushes a real run away from the prediction);
 * known: out of tolerance only in metrics a documented difference names; inconclusive: out of tolerance while the
 * machine was too busy; failed: out of tolerance on a machine that kept the schedule.
 */
export function caseStatus(metrics: readonly MetricRow[], knownMetrics: readonly string[] | null, busy: boolean): CaseStatus {
  const out = metrics.filter((m) => !m.passed);
  if (out.length === 0) return "passed";
  if (knownMetrics !== null && out.every((m) => knownMetrics.some((k) => m.name.startsWith(k)))) return "known";
  return busy ? "inconclusive" : "failed";
}

/** 1 when any case failed (a mismatch, or could not run); else 4 when any was inconclusive; else 0. */
export function suiteExitCode(statuses: readonly CaseStatus[]): 0 | 1 | 4 {
  if (statuses.includes("failed")) return 1;
  if (statuses.includes("inconclusive")) return 4;
  return 0;
}
