// What a sweep writes for people: the table (as printed), two CSVs (one row per grid point and variant with each
// metric's mean and 95% interval; one row per cell, the raw numbers), the JSON of every cell's summary, and an
// HTML page with a chart per metric. Everything here is a pure function of the sweep's fingerprint and its cells
// in cell order, which is why `lbsim merge` of shards writes the same bytes as the sweep run on one machine. The
// folder is replaced whole or not at all (replace-directory.ts), as a report's is.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import type { SweepCell } from "../lab/sweep-cells.js";
import type { SweepFingerprint } from "../lab/sweep-fingerprint.js";
import { Rng } from "../engine/rng.js";
import { bootstrapInterval } from "../lab/statistics.js";
import { metricValue } from "../scenario/metric-path.js";
import { writeFileAtomic } from "./atomic-write.js";
import { CHART_CONFIG, paletteColor, VEGA_LITE_SCHEMA } from "./chart-kit.js";
import { toCsv } from "./csv.js";
import { escapeHtml as e } from "./html-escape.js";
import { htmlHead } from "./html-page.js";
import { chartsSection, type PageChart } from "./html-sections.js";
import { SUMMARY_SCHEMA_VERSION, type RunSummary } from "./report-data.js";
import { chartPngHref, chartSpecHref, PNG_DIR, SPECS_DIR } from "./report-paths.js";
import { replaceDirectory } from "./replace-directory.js";
import { formatTable } from "./text-table.js";

export interface SweepCellResult {
  cell: SweepCell;
  summary: RunSummary;
}

/** One grid point and variant: each metric over the seeds. */
export interface SweepRow {
  values: string[];
  variant: string;
  seeds: number;
  metrics: Array<{ metric: string; mean: number; low: number; high: number }>;
}

/**
 * Rows in cell order (grid point, then variant), each metric's mean and 95% percentile-bootstrap interval across
 * seeds: the interval `lbsim compare` gives a variant, for the same reason (every swept metric is a count, a
 * fraction or a latency, and a t interval around [0, 0, 0, 12] reaches below zero). Each interval's resampling
 * stream is derived from the group's first seed, the metric, the grid point and the variant, so shards merged by
 * `lbsim merge` give the same bytes as one process.
 */
export function sweepRows(results: readonly SweepCellResult[], metrics: readonly string[]): SweepRow[] {
  const groups = new Map<string, SweepCellResult[]>();
  for (const result of results) {
    const key = JSON.stringify([result.cell.values, result.cell.variant]);
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    const root = Rng.root(first.summary.seed).fork("sweep/bootstrap");
    return {
      values: first.cell.values,
      variant: first.summary.variant,
      seeds: group.length,
      metrics: metrics.map((metric) => {
        const stream = root.fork(`${metric}/${JSON.stringify(first.cell.values)}/${first.summary.variant}`);
        const interval = bootstrapInterval(group.map((r) => metricValue(r.summary, metric)), stream);
        return { metric, mean: interval.mean, low: interval.low, high: interval.high };
      }),
    };
  });
}

const fmt = (v: number): string => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : "-");

/** The terminal table: each metric as `mean ± half-width of the 95% interval` (just the mean for one seed). */
export function sweepTableText(paths: readonly string[], metrics: readonly string[], rows: readonly SweepRow[]): string {
  return formatTable([...paths, "variant", "seeds", ...metrics], rows.map((row) => [
    ...row.values, row.variant, String(row.seeds),
    ...row.metrics.map((m) => {
      const half = (m.high - m.low) / 2;
      return Number.isFinite(half) ? `${fmt(m.mean)} ± ${fmt(half)}` : fmt(m.mean);
    }),
  ]));
}

/** Full precision in the CSV: it is for spreadsheets and scripts, not for reading. */
const num = (v: number): string => (Number.isFinite(v) ? String(v) : "");

export function sweepCsv(paths: readonly string[], metrics: readonly string[], rows: readonly SweepRow[]): string {
  const columns = [
    ...paths.map((path, i) => ({ name: path, value: (row: SweepRow) => row.values[i] })),
    { name: "variant", value: (row: SweepRow) => row.variant },
    { name: "seeds", value: (row: SweepRow) => row.seeds },
    ...metrics.flatMap((metric, m) => [
      { name: `${metric}.mean`, value: (row: SweepRow) => num(row.metrics[m]!.mean) },
      { name: `${metric}.ci95Low`, value: (row: SweepRow) => num(row.metrics[m]!.low) },
      { name: `${metric}.ci95High`, value: (row: SweepRow) => num(row.metrics[m]!.high) },
    ]),
  ];
  return toCsv(columns, rows);
}

export function sweepCellsCsv(paths: readonly string[], metrics: readonly string[], results: readonly SweepCellResult[]): string {
  const columns = [
    { name: "cell", value: (r: SweepCellResult) => r.cell.index },
    ...paths.map((path, i) => ({ name: path, value: (r: SweepCellResult) => r.cell.values[i] })),
    { name: "variant", value: (r: SweepCellResult) => r.summary.variant },
    { name: "seed", value: (r: SweepCellResult) => r.cell.seed },
    ...metrics.map((metric) => ({ name: metric, value: (r: SweepCellResult) => num(metricValue(r.summary, metric)) })),
  ];
  return toCsv(columns, results);
}

/** The document `lbsim sweep --json` prints and `sweep.json` holds. */
export function sweepJson(fingerprint: SweepFingerprint, results: readonly SweepCellResult[]): string {
  return `${JSON.stringify({
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    scenario: fingerprint.scenario.name,
    version: fingerprint.lbsimVersion,
    fingerprint,
    axes: fingerprint.axes,
    seeds: fingerprint.seeds,
    points: results.map(({ cell, summary }) => ({ cell: cell.index, values: cell.values, variant: summary.variant, seed: cell.seed, summary })),
  }, null, 2)}\n`;
}

const chartId = (index: number): string => `sweep-metric-${index + 1}`;

/**
 * One chart per metric: the mean over seeds against the first axis (in the order given on the command line), a
 * line per variant, and the 95% interval as a bar; further axes split the chart into panels.
 */
export function sweepMetricSpec(fingerprint: SweepFingerprint, metric: string, metricIndex: number, rows: readonly SweepRow[]): TopLevelSpec {
  const [first, ...rest] = fingerprint.axes;
  const variants = [...new Set(rows.map((row) => row.variant))];
  const values = rows.map((row) => ({
    x: row.values[0] ?? "",
    panel: rest.map((axis, i) => `${axis.path}=${row.values[i + 1]}`).join(", "),
    variant: row.variant,
    mean: row.metrics[metricIndex]!.mean,
    low: Number.isFinite(row.metrics[metricIndex]!.low) ? row.metrics[metricIndex]!.low : null,
    high: Number.isFinite(row.metrics[metricIndex]!.high) ? row.metrics[metricIndex]!.high : null,
  }));
  const x = { field: "x", type: "ordinal" as const, title: first?.path ?? "", sort: first?.values ?? [], axis: { labelAngle: 0 } };
  const color = { field: "variant", type: "nominal" as const, title: "variant", scale: { domain: variants, range: variants.map((_, i) => paletteColor(i)) } };
  const layers = {
    data: { values },
    layer: [
      { mark: { type: "line" as const, point: true }, encoding: { x, y: { field: "mean", type: "quantitative" as const, title: metric }, color, tooltip: [{ field: "variant" }, { field: "x", title: first?.path ?? "" }, { field: "mean", format: ".4~g" }, { field: "low", title: "95% CI low", format: ".4~g" }, { field: "high", title: "95% CI high", format: ".4~g" }] } },
      // Intervals of variants at one grid point overlap: drawn wide and translucent, each stays visible.
      { mark: { type: "rule" as const, strokeWidth: 4, opacity: 0.45 }, encoding: { x, y: { field: "low", type: "quantitative" as const }, y2: { field: "high" }, color } },
    ],
  };
  const seeds = fingerprint.seeds.length;
  const title = { text: metric, subtitle: `mean over ${seeds} seed${seeds === 1 ? "" : "s"} (${seedList(fingerprint.seeds)}), bars: 95% interval` };
  const base = { $schema: VEGA_LITE_SCHEMA, config: CHART_CONFIG, title };
  if (rest.length === 0) return { ...base, width: 560, height: 260, ...layers } as TopLevelSpec;
  return { ...base, data: { values }, facet: { field: "panel", type: "nominal", title: rest.map((a) => a.path).join(", ") }, columns: 3, spec: { width: 260, height: 200, layer: layers.layer } } as TopLevelSpec;
}

function seedList(seeds: readonly string[]): string {
  return seeds.length <= 4 ? seeds.join(", ") : `${seeds.slice(0, 3).join(", ")}, ... ${seeds[seeds.length - 1]}`;
}

export interface SweepOutputFiles {
  table: string;
  csv: string;
  cellsCsv: string;
  json: string;
  indexHtml: string;
}

let renderers: Promise<[typeof import("./render-png.js"), typeof import("./render-svg.js")]> | undefined;

/**
 * The chart renderers (vega, vega-lite, resvg: about 0.2 s to load), loaded once and only for a sweep that writes
 * its report, not for the table or --json. `lbsim sweep --out` asks for them before its runs, so that they load
 * while the runs do (between the main thread's runs) rather than after the last one.
 */
export function sweepRenderers(): Promise<[typeof import("./render-png.js"), typeof import("./render-svg.js")]> {
  renderers ??= Promise.all([import("./render-png.js"), import("./render-svg.js")]);
  return renderers;
}

/** The files' names inside the folder. */
const SWEEP_FILES: SweepOutputFiles = { table: "sweep.txt", csv: "sweep.csv", cellsCsv: "cells.csv", json: "sweep.json", indexHtml: "index.html" };

export interface WriteSweepOptions {
  /** Writes more into the staging folder before the swap (the sweep's finished cells, for a rerun to read). */
  alsoWrite?: (staging: string) => Promise<void>;
  /** Called after each file lands in the staging folder (its path inside the folder): tests interrupt here. */
  afterWrite?: (path: string) => void | Promise<void>;
}

/**
 * Writes the sweep's table, CSVs, JSON and report as the folder `dir`, replaced whole or not at all: everything is
 * rendered in memory, written into a staging folder, and swapped in (replace-directory.ts), as a report is. A
 * folder lbsim did not write is refused (OutputDirError, exit 2).
 */
export async function writeSweepOutputs(dir: string, fingerprint: SweepFingerprint, results: readonly SweepCellResult[], metrics: readonly string[], options: WriteSweepOptions = {}): Promise<SweepOutputFiles> {
  const paths = fingerprint.axes.map((axis) => axis.path);
  const rows = sweepRows(results, metrics);
  const table = sweepTableText(paths, metrics, rows);
  const charts: Array<PageChart & { spec: TopLevelSpec; png: Uint8Array }> = [];
  const [{ renderPng }, { renderSvg, scopeSvgIds }] = await sweepRenderers();
  for (const [index, metric] of metrics.entries()) {
    const spec = sweepMetricSpec(fingerprint, metric, index, rows);
    const svg = scopeSvgIds(await renderSvg(spec), chartId(index));
    charts.push({ id: chartId(index), title: metric, caption: `Mean of ${metric} over seeds for each value of ${paths[0]}, one line per variant; a vertical bar is the 95% percentile-bootstrap interval across seeds (it stays within the values the seeds gave).`, emptyNote: "", svg, spec, png: renderPng(svg) });
  }
  const page = sweepPage(fingerprint, table, results.length, charts);
  await replaceDirectory(dir, async (staging) => {
    const write = async (name: string, data: string | Uint8Array): Promise<void> => {
      await writeFileAtomic(join(staging, name), data);
      await options.afterWrite?.(name);
    };
    for (const sub of [SPECS_DIR, PNG_DIR]) await mkdir(join(staging, sub), { recursive: true });
    await write(SWEEP_FILES.table, `${table}\n`);
    await write(SWEEP_FILES.csv, sweepCsv(paths, metrics, rows));
    await write(SWEEP_FILES.cellsCsv, sweepCellsCsv(paths, metrics, results));
    await write(SWEEP_FILES.json, sweepJson(fingerprint, results));
    for (const chart of charts) {
      await write(chartSpecHref(chart.id), `${JSON.stringify(chart.spec, null, 2)}\n`);
      await write(chartPngHref(chart.id), chart.png);
    }
    await options.alsoWrite?.(staging);
    await write(SWEEP_FILES.indexHtml, page);
  });
  return {
    table: join(dir, SWEEP_FILES.table), csv: join(dir, SWEEP_FILES.csv), cellsCsv: join(dir, SWEEP_FILES.cellsCsv), json: join(dir, SWEEP_FILES.json), indexHtml: join(dir, SWEEP_FILES.indexHtml),
  };
}

const STYLE = `
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1d2330; background: #f7f8fa; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; min-height: 100vh; }
h2 { font-size: 1.25em; margin: 1.6em 0 0.5em; border-bottom: 1px solid #dfe3ea; }
pre { background: #f1f3f6; border: 1px solid #dfe3ea; border-radius: 6px; padding: 10px 12px; overflow-x: auto; font-size: 0.85em; }
p.meta, figcaption { color: #5b6474; font-size: 0.9em; }
figure.chart svg { max-width: 100%; height: auto; }
`;

function sweepPage(fingerprint: SweepFingerprint, table: string, cells: number, charts: readonly PageChart[]): string {
  const grid = fingerprint.axes.map((axis) => `${axis.path} = ${axis.values.join(", ")}`).join("; ");
  const variants = fingerprint.variants.map((v) => v ?? "base").join(", ");
  return `${htmlHead(`${fingerprint.scenario.name} sweep · lbsim report`, fingerprint.lbsimVersion, STYLE)}
<main>
<h1>Sweep of ${e(fingerprint.scenario.name)}</h1>
<p class="meta">${cells} runs: grid ${e(grid)}; variants ${e(variants)}; seeds ${e(fingerprint.seeds.join(", "))}${fingerprint.set.length > 0 ? `; fixed ${e(fingerprint.set.join(" "))}` : ""}. Scenario sha256 ${e(fingerprint.scenario.sha256.slice(0, 16))}..., sweep fingerprint ${e(fingerprint.hash.slice(0, 16))}...</p>
<p class="meta"><a href="sweep.csv">sweep.csv</a> (means and intervals) · <a href="cells.csv">cells.csv</a> (every run) · <a href="sweep.json">sweep.json</a> (every summary)</p>
<h2>Table</h2>
<pre>${e(table)}</pre>
${chartsSection(charts)}
<footer><p class="meta">Generated by lbsim ${e(fingerprint.lbsimVersion)}. The same sweep reproduces this page byte for byte, on one machine or merged from shards.</p></footer>
</main>
</body>
</html>
`;
}

