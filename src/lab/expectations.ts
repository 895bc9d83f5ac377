// `expect:` lines checked against a run's summaries: a scenario becomes a regression test. An expectation
// without a variant applies to every variant; a relative bound reads the same metric in another variant.
import type { ExpectationResult, RunSummary } from "../report/report-data.js";
import type { Expectation, ExpectBound } from "../scenario/schema/expect.js";
import { metricValue } from "../scenario/metric-path.js";

export function evaluateExpectations(expectations: readonly Expectation[], summaries: readonly RunSummary[]): ExpectationResult[] {
  const byVariant = new Map(summaries.map((s) => [s.variant, s]));
  const results: ExpectationResult[] = [];
  for (const expectation of expectations) {
    // A bound relative to a variant that did not run (`run --variant x`) cannot be checked: skip it.
    const relatives = [expectation.above, expectation.below].filter((b): b is { variant: string; factor: number } => b !== null && "variant" in b);
    if (relatives.some((b) => !byVariant.has(b.variant))) continue;
    const targets = expectation.variant === null ? summaries : summaries.filter((s) => s.variant === expectation.variant);
    for (const summary of targets) {
      const actual = metricValue(summary, expectation.metric);
      const parts: string[] = [];
      let passed = Number.isFinite(actual);
      if (expectation.above !== null) {
        const limit = boundValue(expectation.above, expectation.metric, byVariant);
        passed &&= actual > limit.value;
        parts.push(`> ${limit.text}`);
      }
      if (expectation.below !== null) {
        const limit = boundValue(expectation.below, expectation.metric, byVariant);
        passed &&= actual < limit.value;
        parts.push(`< ${limit.text}`);
      }
      results.push({ text: `${expectation.metric} ${parts.join(" and ")}`, variant: summary.variant, actual, passed });
    }
  }
  return results;
}

function boundValue(bound: ExpectBound, metric: string, byVariant: Map<string, RunSummary>): { value: number; text: string } {
  if ("value" in bound) return { value: bound.value, text: String(bound.value) };
  const other = byVariant.get(bound.variant);
  const value = other === undefined ? Number.NaN : metricValue(other, metric) * bound.factor;
  return { value, text: `${bound.factor} x ${bound.variant} (${round(value)})` };
}

const round = (value: number): number => Number(value.toPrecision(4));
