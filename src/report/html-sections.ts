// The parts of index.html, each a pure function from report data to an HTML fragment. Every scenario-supplied
// string goes through escapeHtml here; numbers are formatted by format.ts; nothing else reaches the page.
import { escapeHtml as e } from "./html-escape.js";
import { formatMeasured, formatValue } from "./format.js";
import type { ComparisonRow, ExpectationResult, RunSummary, ScenarioReport } from "./report-data.js";
import { chartPngHref, chartSpecHref } from "./report-paths.js";
import { summaryRows } from "./summary-rows.js";

/** A chart ready for the page: its SVG, or null when it was skipped for lack of data. */
export interface PageChart {
  id: string;
  title: string;
  caption: string;
  emptyNote: string;
  svg: string | null;
}

export function headerSection(report: ScenarioReport): string {
  const { scenario } = report;
  const title = scenario.title.trim() === "" ? scenario.name : scenario.title;
  const paragraphs = scenario.description
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== "")
    .map((paragraph) => `<p>${e(paragraph)}</p>`)
    .join("\n");
  return `<header>
<h1>${e(title)}</h1>
<p class="meta">scenario <code>${e(scenario.name)}</code> · file <code>${e(scenario.file)}</code> · seed <code>${e(report.seed)}</code> · lbsim <code>${e(report.version)}</code></p>
${paragraphs}
<h2 id="reproduce">Reproduce</h2>
<pre><code>${e(report.command)}</code></pre>
</header>`;
}

export function summarySection(summaries: readonly RunSummary[]): string {
  const head = `<tr><th scope="col">measure</th>${summaries.map((s) => `<th scope="col" class="num">${e(s.variant)}</th>`).join("")}</tr>`;
  const body = summaryRows(summaries)
    .map((row) => {
      const label = row.cause ? `<th scope="row" class="cause">${e(row.label)}</th>` : `<th scope="row">${e(row.label)}</th>`;
      return `<tr${row.cause ? ' class="cause"' : ""}>${label}${row.cells.map((cell) => `<td class="num">${e(cell)}</td>`).join("")}</tr>`;
    })
    .join("\n");
  return `<section>
<h2 id="summary">Summary</h2>
<p class="note">Every count is of user requests, each with one outcome after its client's retries (the client's and the balancer's retries are counted below them). Loss causes are listed under "lost" when any variant has one. Latency runs from a user request's first send to its final answer: p50 to p99.9 of the successful ones, "failed" of the lost ones.</p>
<div class="wide"><table class="summary"><thead>${head}</thead><tbody>
${body}
</tbody></table></div>
</section>`;
}

export function expectationsSection(expectations: readonly ExpectationResult[]): string {
  if (expectations.length === 0) {
    return `<section><h2 id="expectations">Expectations</h2><p class="note">The scenario states no expectations.</p></section>`;
  }
  const passed = expectations.filter((x) => x.passed).length;
  const rows = expectations
    .map(
      (x) =>
        `<tr><td>${x.passed ? '<span class="pass">pass</span>' : '<span class="fail">fail</span>'}</td><td>${e(x.variant)}</td><td><code>${e(x.text)}</code></td><td class="num">${e(formatValue(x.actual))}</td></tr>`,
    )
    .join("\n");
  return `<section>
<h2 id="expectations">Expectations</h2>
<p>${passed} of ${expectations.length} passed.</p>
<table><thead><tr><th scope="col">result</th><th scope="col">variant</th><th scope="col">expectation</th><th scope="col" class="num">actual</th></tr></thead><tbody>
${rows}
</tbody></table>
</section>`;
}

export function comparisonSection(comparison: readonly ComparisonRow[], verdicts: readonly string[]): string {
  const verdictList =
    verdicts.length === 0 ? "" : `<h3>Verdicts</h3>\n<ul class="verdicts">${verdicts.map((v) => `<li>${e(v)}</li>`).join("")}</ul>`;
  if (comparison.length === 0) {
    return `<section><h2 id="comparison">Comparison</h2><p class="note">This report has no multi-seed comparison.</p>${verdictList}</section>`;
  }
  // The metric is printed once per group of rows so the table reads as blocks, one per metric.
  const rows = comparison
    .map((row, index) => {
      const first = index === 0 || comparison[index - 1]!.metric !== row.metric;
      const ci = `[${formatMeasured(row.ciLow, row.unit)}, ${formatMeasured(row.ciHigh, row.unit)}]`;
      return `<tr${first ? ' class="group"' : ""}><th scope="row">${first ? e(row.metric) : ""}</th><td>${first ? `${row.better} is better` : ""}</td><td>${e(row.variant)}</td><td class="num">${row.seeds}</td><td class="num">${e(formatMeasured(row.mean, row.unit))}</td><td class="num">${e(ci)}</td></tr>`;
    })
    .join("\n");
  return `<section>
<h2 id="comparison">Comparison</h2>
<p class="note">Means over seeds with common random numbers; 95% percentile-bootstrap intervals (they stay within the values the seeds gave, so a count never goes below zero). Losses and latency are judged first.</p>
<table><thead><tr><th scope="col">metric</th><th scope="col">better</th><th scope="col">variant</th><th scope="col" class="num">seeds</th><th scope="col" class="num">mean</th><th scope="col" class="num">95% CI</th></tr></thead><tbody>
${rows}
</tbody></table>
${verdictList}
</section>`;
}

export function chartsSection(charts: readonly PageChart[]): string {
  const figures = charts
    .map((chart) => {
      if (chart.svg === null) {
        return `<figure class="chart skipped" id="chart-${e(chart.id)}"><h3>${e(chart.title)}</h3><p class="note">Not drawn: ${e(chart.emptyNote)}</p></figure>`;
      }
      // The SVG comes from vega, which escapes the text and attribute values it writes.
      return `<figure class="chart" id="chart-${e(chart.id)}">
<h3>${e(chart.title)}</h3>
<div class="svg">${chart.svg}</div>
<figcaption>${e(chart.caption)} <a href="${e(chartPngHref(chart.id))}">PNG</a> · <a href="${e(chartSpecHref(chart.id))}">Vega-Lite spec</a></figcaption>
</figure>`;
    })
    .join("\n");
  return `<section>
<h2 id="charts">Charts</h2>
${figures}
</section>`;
}
