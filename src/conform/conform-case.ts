// A conformance case: one scenario (and variant) run on one real proxy and predicted by lbsim, with the metrics
// to hold side by side. Metrics are ones the world decides, not the machine's speed: lost fractions, shares,
// detection times in check intervals, latencies that are service times, not CPU time.
export type ProxyKind = "haproxy" | "nginx" | "lbsim";

export type MetricSpec =
  /** The fraction of user requests lost (sent - ok - unfinished) / sent: within 5 percentage points. */
  | { kind: "lost" }
  /**
   * Each backend's share of the attempts: within 3 percentage points. `together` names identical backends whose
   * split among themselves timing decides, not the world (two equal servers tied under least connections): they are
   * compared as one combined share, `share a+b`.
   */
  | { kind: "share"; together?: readonly string[] }
  /** p50 or p99 of successful requests: within 20% or 5 ms, whichever is larger. */
  | { kind: "latency"; quantile: 50 | 99 }
  /**
   * Time from `fromMs` until the proxy first marks `backend` down (or null: never), within one check interval;
   * both never marking it down counts as agreement.
   */
  | { kind: "detection"; backend: string; fromMs: number }
  /** Time from `fromMs` until the proxy marks `backend` up again, within one check interval. */
  | { kind: "recovery"; backend: string; fromMs: number };

export interface ConformCase {
  name: string;
  proxy: ProxyKind;
  /** The scenario file, relative to the repository root. */
  scenario: string;
  variant: string | null;
  /**
   * null (the rule): the proxy's configuration is `lbsim export`'s (src/config-io) for this scenario. A path: a
   * hand-written template instead (`{{listen}}`, `{{server NAME}}`, `{{stats}}`, `{{dir}}`), for what export
   * cannot say; the case's `about` must say why.
   */
  config: string | null;
  metrics: MetricSpec[];
  /** Why this case exists, one sentence for the report. */
  about: string;
  /**
   * A difference lbsim knowingly does not model, documented in docs/conformance.md: when the only metrics out of
   * tolerance are these (names starting with one of `metrics`), the case is reported "known" with `why`, still
   * `passed: false` in the JSON, and does not fail the suite. Any other metric out of tolerance still fails it.
   */
  known?: { metrics: string[]; why: string };
}
