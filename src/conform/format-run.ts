// The terminal side-by-side of a case and the suite's JSON document (issue 17's shape).
import type { CaseRun } from "./run-case.js";
import type { MetricRow } from "./tolerance.js";

function value(v: number | null, unit: MetricRow["unit"]): string {
  if (v === null) return "never";
  return unit === "fraction" ? `${(v * 100).toFixed(1)}%` : `${v.toFixed(v >= 100 ? 0 : 1)}`;
}

function difference(m: MetricRow): string {
  if (m.real === null || m.simulated === null) return m.real === m.simulated ? "0" : "-";
  const d = m.real - m.simulated;
  return m.unit === "fraction" ? `${d >= 0 ? "+" : ""}${(d * 100).toFixed(1)} pt` : `${d >= 0 ? "+" : ""}${d.toFixed(1)}`;
}

function tolerance(m: MetricRow): string {
  return m.unit === "fraction" ? `${(m.tolerance * 100).toFixed(0)} pt` : `${m.tolerance.toFixed(0)} ms`;
}

/** One case as a table: metric, real, simulated, difference, tolerance, verdict. */
export function formatCase(run: CaseRun): string {
  const head = `${run.name}  (${run.proxy}${run.proxyVersion ? ` ${run.proxyVersion}` : ""})  ${run.status.toUpperCase()}${run.runs > 1 ? ` after ${run.runs} runs` : ""}${run.note ? `: ${run.note}` : ""}`;
  if (run.status === "skipped") return `${head}`;
  const rows = [["metric", "real", "lbsim", "diff", "tolerance", ""], ...run.metrics.map((m) => [m.name, value(m.real, m.unit), value(m.simulated, m.unit), difference(m), tolerance(m), m.passed ? "ok" : "OUT"])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ").trimEnd());
  const real = run.real;
  const causes = real === null ? "" : `\n  causes real:  ${causeList(real.outcomes)}\n  causes lbsim: ${causeList(run.simulated.outcomes)}`;
  const late = run.latenessUs === null ? "" : `\n  load generator lateness p50 ${(run.latenessUs.p50 / 1000).toFixed(1)} ms, p99 ${(run.latenessUs.p99 / 1000).toFixed(1)} ms, max ${(run.latenessUs.max / 1000).toFixed(1)} ms; wall ${(run.wallMs / 1000).toFixed(1)} s`;
  const missing = run.notExpressible.length === 0 ? "" : `\n  not expressible in ${run.proxy}: ${run.notExpressible.join("; ")}`;
  return `${head}\n${lines.map((l) => `  ${l}`).join("\n")}${causes}${late}${missing}`;
}

function causeList(outcomes: Record<string, number>): string {
  return Object.entries(outcomes).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ");
}

/** The suite document: `{ cases: [{ name, proxy, proxyVersion, passed, metrics: [...] }] }`, plus status and runs. */
export function suiteJson(runs: readonly CaseRun[]): unknown {
  return {
    cases: runs.map((r) => ({
      name: r.name, proxy: r.proxy, proxyVersion: r.proxyVersion, passed: r.passed, status: r.status, runs: r.runs, rerun: r.runs > 1, busy: r.busy, note: r.note,
      latenessMs: r.latenessUs === null ? null : { p50: r.latenessUs.p50 / 1000, p99: r.latenessUs.p99 / 1000, max: r.latenessUs.max / 1000 },
      loadAverageMax: r.loadAverageMax,
      wallMs: r.wallMs, notExpressible: r.notExpressible,
      metrics: r.metrics.map((m) => ({ name: m.name, real: m.real, simulated: m.simulated, tolerance: m.tolerance, passed: m.passed })),
    })),
  };
}
