// `lbsim ... --out DIR`: renders a ScenarioReport to a directory. Everything is rendered in memory first (specs,
// SVGs, PNGs, CSVs, the page), so a chart that fails to render throws before a single file is touched; then the
// report is written into a staging folder and swapped in whole (replace-directory.ts), so the directory on disk
// is always one complete report: never two runs' files side by side, whenever the run is killed.
import { mkdir } from "node:fs/promises";
import { join, relative } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { writeFileAtomic } from "./atomic-write.js";
import type { ChartDefinition } from "./chart-kit.js";
import { REPORT_CHARTS } from "./charts.js";
import type { PageChart } from "./html-sections.js";
import { renderHtml } from "./html-page.js";
import type { ScenarioReport } from "./report-data.js";
import { backendLoadCsv, backendStatesCsv, healthCsv, markersCsv, summaryJson, windowsCsv } from "./report-csv.js";
import { DATA_DIR, PNG_DIR, type ReportFiles, reportPaths, SPECS_DIR } from "./report-paths.js";
import { replaceDirectory } from "./replace-directory.js";

export interface WriteReportOptions {
  /** The charts to draw; tests pass their own (one that throws, to check nothing is damaged). */
  charts?: readonly ChartDefinition[];
  /** Called after each file lands in the staging folder (its path inside the report): tests interrupt a run here. */
  afterWrite?: (path: string) => void | Promise<void>;
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
  // vega, vega-lite and resvg take most of a second to load: only a command that draws a chart pays for them.
  const [{ renderSvg, scopeSvgIds }, { renderPng }] = await Promise.all([import("./render-svg.js"), import("./render-png.js")]);
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

  // Write the whole report into a staging folder beside `dir`, then swap folders (replace-directory.ts): a run
  // killed at any point leaves the earlier report whole, and no chart of an earlier report can linger.
  await replaceDirectory(dir, async (staging) => {
    const staged = reportPaths(staging, drawn.map((chart) => chart.id), skipped.map((chart) => chart.id));
    for (const sub of [DATA_DIR, SPECS_DIR, PNG_DIR]) await mkdir(join(staging, sub), { recursive: true });
    const write = async (path: string, data: string | Uint8Array): Promise<void> => {
      await writeFileAtomic(path, data);
      await options.afterWrite?.(relative(staging, path));
    };
    await write(staged.summaryJson, summaryJson(report));
    await write(staged.windowsCsv, windowsCsv(report));
    await write(staged.backendLoadCsv, backendLoadCsv(report));
    await write(staged.healthCsv, healthCsv(report));
    await write(staged.backendStatesCsv, backendStatesCsv(report));
    await write(staged.markersCsv, markersCsv(report));
    for (const [index, r] of rendered.entries()) {
      const paths = staged.charts[index]!;
      await write(paths.spec, prettyJson(r.spec));
      await write(paths.png, r.png);
    }
    await write(staged.indexHtml, html);
  });
  return reportPaths(dir, drawn.map((chart) => chart.id), skipped.map((chart) => chart.id));
}
