// A ```chart block: one of the report's charts (the same spec functions `lbsim run --out` uses), drawn from a
// run, optionally for some of its variants only, and inlined as SVG. Ids inside each SVG are renamed per chart
// so several charts on one page do not clip each other and the page is byte-identical run after run.
import { REPORT_CHARTS } from "../report/charts.js";
import { escapeHtml } from "../report/html-escape.js";
import type { ScenarioReport } from "../report/report-data.js";
import { chartBlock } from "./block-schemas.js";
import { readBlockYaml, validateBlock } from "./block-yaml.js";
import { findRun, findSummary, type Runs } from "./run-results.js";
import type { BlockSegment } from "./split-notebook.js";

export interface ChartPlan {
  /** Unique on the page: the chart's position among the page's charts. */
  index: number;
  chartId: string;
  title: string;
  caption: string;
  emptyNote: string;
  report: ScenarioReport;
}

/** Checks the block and picks its data; rendering is separate (it is async and the slow part). */
export function planChart(segment: BlockSegment, file: string, runs: Runs, index: number): ChartPlan {
  const yaml = readBlockYaml({ label: "chart block", text: segment.text, line: segment.line, contentLine: segment.contentLine }, file);
  const block = validateBlock(yaml, chartBlock, yaml.value);
  const site = { file, line: segment.line };
  const run = findRun(runs, block.from, site);
  const chart = REPORT_CHARTS.find((c) => c.id === block.chart)!;
  const wanted = block.variants ?? run.report.variants.map((v) => v.summary.variant);
  for (const variant of wanted) findSummary(run, variant, site);
  const report = { ...run.report, variants: run.report.variants.filter((v) => wanted.includes(v.summary.variant)) };
  return { index, chartId: chart.id, title: chart.title, caption: block.caption ?? chart.caption, emptyNote: chart.emptyNote, report };
}

export async function renderChartHtml(plan: ChartPlan): Promise<string> {
  const chart = REPORT_CHARTS.find((c) => c.id === plan.chartId)!;
  const caption = `<figcaption><strong>${escapeHtml(plan.title)}.</strong> ${escapeHtml(plan.caption)}</figcaption>`;
  if (!chart.hasData(plan.report)) return `<figure class="chart skipped"><p class="note">${escapeHtml(plan.emptyNote)}</p>${caption}</figure>`;
  const { renderSvg, scopeSvgIds } = await import("../report/render-svg.js"); // vega loads only to draw
  const svg = scopeSvgIds(await renderSvg(chart.spec(plan.report)), `c${plan.index}-${plan.chartId}`);
  return `<figure class="chart"><div class="svg">${svg}</div>\n${caption}</figure>`;
}
