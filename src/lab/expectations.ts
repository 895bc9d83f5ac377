// `expect:` lines checked against a run's summaries: a scenario becomes a regression test. An expectation
// without a variant applies to every variant; a relative bound reads the same metric in another variant.
import type { ExpectationResult, RunSummary, SkippedExpectation } from "../report/report-data.js";
import type { Expectation, ExpectBound } from "../scenario/schema/expect.js";
import { metricValue } from "../scenario/metric-path.js";

export function evaluateExpectations(expectations: readonly Expectation[], summaries: readonly RunSummary[]): ExpectationResult[] {
  return checkExpectations(expectations, summaries).results;
}

/**
 * The expectations that can be checked against these runs, and those that cannot because a variant they name
 * did not run (`lbsim run --variant x`), each with the reason, so a narrowed run says what it did not check.
 */
export function checkExpectations(expectations: readonly Expectation[], summaries: readonly RunSummary[]): { results: ExpectationResult[]; skipped: SkippedExpectation[] } {
  const byVariant = new Map(summaries.map((s) => [s.variant, s]));
  const results: ExpectationResult[] = [];
  const skipped: SkippedExpectation[] = [];
  for (const expectation of expectations) {
    const relatives = [expectation.above, expectation.below].filter((b): b is { variant: string; factor: number } => b !== null && "variant" in b);
    const missing = [...new Set([expectation.variant, ...relatives.map((b) => b.variant)])].filter((v): v is string => v !== null && !byVariant.has(v));
    if (missing.length > 0) {
      skipped.push({ variant: expectation.variant ?? "every variant", text: describe(expectation), reason: `variant ${missing.join(" and ")} did not run` });
      continue;
    }
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
  return { results, skipped };
}

/** How an expectation reads, without its values: `requests.lost < 0.5 x tcp`. */
function describe(expectation: Expectation): string {
  const side = (op: string, bound: ExpectBound | null): string[] => (bound === null ? [] : [`${op} ${"value" in bound ? String(bound.value) : `${bound.factor} x ${bound.variant}`}`]);
  return `${expectation.metric} ${[...side(">", expectation.above), ...side("<", expectation.below)].join(" and ")}`;
}

function boundValue(bound: ExpectBound, metric: string, byVariant: Map<string, RunSummary>): { value: number; text: string } {
  if ("value" in bound) return { value: bound.value, text: String(bound.value) };
  const other = byVariant.get(bound.variant);
  const value = other === undefined ? Number.NaN : metricValue(other, metric) * bound.factor;
  return { value, text: `${bound.factor} x ${bound.variant} (${round(value)})` };
}

const round = (value: number): number => Number(value.toPrecision(4));
