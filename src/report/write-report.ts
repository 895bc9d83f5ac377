// `lbsim ... --out DIR`: renders a ScenarioReport to a directory. Everything is rendered in memory first (specs,
// SVGs, PNGs, CSVs, the page), so a chart that fails to render throws before a single file is touched; then each
// file is written atomically, index.html last, so a page on disk always belongs to a complete report. Files of
// charts the new report skips are removed afterwards, so the directory never mixes two reports' charts.
import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { isAtomicTempFile, writeFileAtomic } from "./atomic-write.js";
import type { ChartDefinition } from "./chart-kit.js";
import { REPORT_CHARTS } from "./charts.js";
import type { PageChart } from "./html-sections.js";
import { renderHtml } from "./html-page.js";
import type { ScenarioReport } from "./report-data.js";
import { backendLoadCsv, healthCsv, markersCsv, summaryJson, windowsCsv } from "./report-csv.js";
import { DATA_DIR, PNG_DIR, type ReportFiles, reportPaths, SPECS_DIR } from "./report-paths.js";
import { renderPng } from "./render-png.js";
import { renderSvg, scopeSvgIds } from "./render-svg.js";

export interface WriteReportOptions {
  /** The charts to draw; tests pass their own (one that throws, to check nothing is damaged). */
  charts?: readonly ChartDefinition[];
}

interface RenderedChart {
  chart: ChartDefinition;
  spec: TopLevelSpec;
  svg: string;
  png: Uint8Array;
}

/** Two-space JSON with a final newline: the spec files are meant to be read and pasted into the Vega editor. */
const prettyJson = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

export async function renderChart(chart: ChartDefinition, report: ScenarioReport): Promise<RenderedChart> {
  const spec = chart.spec(report);
  const svg = scopeSvgIds(await renderSvg(spec), chart.id);
  return { chart, spec, svg, png: renderPng(svg) };
}

export async function writeReport(report: ScenarioReport, dir: string, options: WriteReportOptions = {}): Promise<ReportFiles> {
  const charts = options.charts ?? REPORT_CHARTS;
  const drawn = charts.filter((chart) => chart.hasData(report));
  const skipped = charts.filter((chart) => !chart.hasData(report));
  // Sequential on purpose: vega views are heavy, and rendering one at a time keeps peak memory to one chart.
  const rendered: RenderedChart[] = [];
  for (const chart of drawn) rendered.push(await renderChart(chart, report));

  const svgById = new Map(rendered.map((r) => [r.chart.id, r.svg]));
  const pageCharts: PageChart[] = charts.map((chart) => ({
    id: chart.id,
    title: chart.title,
    caption: chart.caption,
    emptyNote: chart.emptyNote,
    svg: svgById.get(chart.id) ?? null,
  }));
  const html = renderHtml(report, pageCharts);

  const files = reportPaths(dir, drawn.map((chart) => chart.id), skipped.map((chart) => chart.id));
  for (const sub of [DATA_DIR, SPECS_DIR, PNG_DIR]) await mkdir(join(dir, sub), { recursive: true });
  await removeStaleTempFiles(dir);

  await writeFileAtomic(files.summaryJson, summaryJson(report));
  await writeFileAtomic(files.windowsCsv, windowsCsv(report));
  await writeFileAtomic(files.backendLoadCsv, backendLoadCsv(report));
  await writeFileAtomic(files.healthCsv, healthCsv(report));
  await writeFileAtomic(files.markersCsv, markersCsv(report));
  for (const [index, r] of rendered.entries()) {
    const paths = files.charts[index]!;
    await writeFileAtomic(paths.spec, prettyJson(r.spec));
    await writeFileAtomic(paths.png, r.png);
  }
  await writeFileAtomic(files.indexHtml, html);

  const stale = reportPaths(dir, files.skippedCharts).charts;
  for (const paths of stale) {
    await rm(paths.spec, { force: true });
    await rm(paths.png, { force: true });
  }
  return files;
}

/** A run killed mid-write (SIGKILL, power loss) cannot clean up its temporary file; the next run does. */
async function removeStaleTempFiles(dir: string): Promise<void> {
  for (const sub of [".", DATA_DIR, SPECS_DIR, PNG_DIR]) {
    const names = await readdir(join(dir, sub));
    for (const name of names) if (isAtomicTempFile(name)) await rm(join(dir, sub, name), { force: true });
  }
}
