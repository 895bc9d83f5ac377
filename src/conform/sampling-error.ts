// Whether a case's sample is large enough for its tolerances to mean something. A fraction measured over n
// requests (the lost fraction over the requests that ended, a backend's share over all attempts) has a standard
// error of sqrt(p(1 - p) / n) per run when chance decides each request; the real and the simulated runs are two
// such samples, so their difference has sqrt(2) times that. A tolerance under about 3 of those standard errors
// would fail a case by chance alone (in one run of three at 1.7 SE), so a case whose metric is chance-decided must
// send enough requests to put its tolerance at 3 standard errors of the difference or more.
//
// Shares under round robin, weighted round robin and ip_hash are not chance-decided: the schedule (or the hash of
// the client's address) names each request's server, so the same requests in the same order give the same shares;
// they are reported with their binomial ratio but exempt (`scheduled`), unless a backend queue (maxconn) decides.
import { comparedShares } from "./compare-runs.js";
import type { ConformCase } from "./conform-case.js";
import type { Measured } from "./measure.js";
import { LOST_TOLERANCE, SHARE_TOLERANCE } from "./tolerance.js";

/** The smallest tolerance / SE(real - simulated) a chance-decided metric may have. */
export const MIN_SE_RATIO = 3;

/** Balancing rules whose shares the schedule or the client's address decide, not chance. */
export const SCHEDULED_ALGORITHMS: readonly string[] = ["round-robin", "weighted-round-robin", "ip-hash"];

export interface SamplingRow {
  metric: string;
  n: number;
  p: number;
  /** Standard error of real - simulated: sqrt(2 p (1 - p) / n). */
  seDiff: number;
  tolerance: number;
  /** tolerance / seDiff (Infinity when p is 0 or 1). */
  ratio: number;
  /** Shares under a schedule or a hash: exempt from MIN_SE_RATIO. */
  scheduled: boolean;
}

export function seDiff(p: number, n: number): number {
  return n === 0 ? Infinity : Math.sqrt((2 * p * (1 - p)) / n);
}

/** The sampling rows of a case's lost and share metrics, from lbsim's prediction (the same requests as the real run). */
export function samplingRows(c: ConformCase, simulated: Measured, lb: { algorithm: { algorithm: string }; maxConnectionsPerBackend: number }): SamplingRow[] {
  // A backend queue (maxconn) hands each waiting request to whichever server frees a slot first: timing, not the
  // schedule, decides those shares.
  const scheduled = SCHEDULED_ALGORITHMS.includes(lb.algorithm.algorithm) && lb.maxConnectionsPerBackend === 0;
  const rows: SamplingRow[] = [];
  const row = (metric: string, p: number, n: number, tolerance: number, scheduled: boolean): SamplingRow => {
    const se = seDiff(p, n);
    return { metric, n, p, seDiff: se, tolerance, ratio: se === 0 ? Infinity : tolerance / se, scheduled };
  };
  for (const spec of c.metrics) {
    if (spec.kind === "lost") rows.push(row("lost fraction", simulated.lostFraction, simulated.sent - simulated.unfinished, LOST_TOLERANCE, false));
    if (spec.kind === "share") {
      const total = Object.values(simulated.attempts).reduce((a, b) => a + b, 0);
      for (const [name, p] of Object.entries(comparedShares(simulated.shares, spec.together)).sort()) rows.push(row(`share ${name}`, p, total, SHARE_TOLERANCE, scheduled));
    }
  }
  return rows;
}
