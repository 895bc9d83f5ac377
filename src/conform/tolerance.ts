// The tolerances of issue 17, one rule per metric kind, and the verdict of one real-vs-simulated pair. They are
// fixed here and nowhere else: a case out of tolerance is a finding to explain or fix, never a reason to widen.

export interface MetricRow {
  name: string;
  real: number | null;
  simulated: number | null;
  /** The largest |real - simulated| that passes, in the metric's unit. */
  tolerance: number;
  passed: boolean;
  unit: "fraction" | "ms";
}

/** Lost fraction within 5 percentage points. */
export const LOST_TOLERANCE = 0.05;
/** A backend's share within 3 percentage points. */
export const SHARE_TOLERANCE = 0.03;
/** Latency percentiles within 20% of the prediction or 5 ms, whichever is larger. */
export const LATENCY_RELATIVE = 0.2;
export const LATENCY_FLOOR_MS = 5;

export function row(name: string, real: number | null, simulated: number | null, tolerance: number, unit: MetricRow["unit"]): MetricRow {
  // Both absent (a backend never marked down on either side) agree; one absent does not.
  const passed = real === null || simulated === null ? real === simulated : Math.abs(real - simulated) <= tolerance + 1e-9;
  return { name, real, simulated, tolerance, passed, unit };
}

export function latencyTolerance(simulatedMs: number): number {
  return Math.max(LATENCY_FLOOR_MS, LATENCY_RELATIVE * simulatedMs);
}
