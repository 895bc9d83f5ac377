// Where a report's files go inside its directory. One function owns the layout, so the writer, the CLI (which
// prints what was written) and the tests agree on it.
import { join } from "node:path";

export interface ChartFiles {
  id: string;
  spec: string;
  png: string;
}

export interface ReportFiles {
  dir: string;
  indexHtml: string;
  summaryJson: string;
  windowsCsv: string;
  backendLoadCsv: string;
  healthCsv: string;
  backendStatesCsv: string;
  markersCsv: string;
  /** Charts that were drawn, in page order. */
  charts: ChartFiles[];
  /** Charts left out because they had no data (the page says so where they would be). */
  skippedCharts: string[];
}

export const SPECS_DIR = "specs";
export const DATA_DIR = "data";
export const PNG_DIR = "png";

/** Paths relative to the report directory, with "/" separators, as the HTML links to them. */
export const chartSpecHref = (id: string): string => `${SPECS_DIR}/${id}.vl.json`;
export const chartPngHref = (id: string): string => `${PNG_DIR}/${id}.png`;

export function reportPaths(dir: string, chartIds: readonly string[], skippedChartIds: readonly string[] = []): ReportFiles {
  return {
    dir,
    indexHtml: join(dir, "index.html"),
    summaryJson: join(dir, DATA_DIR, "summary.json"),
    windowsCsv: join(dir, DATA_DIR, "windows.csv"),
    backendLoadCsv: join(dir, DATA_DIR, "backend-load.csv"),
    healthCsv: join(dir, DATA_DIR, "health.csv"),
    backendStatesCsv: join(dir, DATA_DIR, "backend-states.csv"),
    markersCsv: join(dir, DATA_DIR, "markers.csv"),
    charts: chartIds.map((id) => ({ id, spec: join(dir, SPECS_DIR, `${id}.vl.json`), png: join(dir, PNG_DIR, `${id}.png`) })),
    skippedCharts: [...skippedChartIds],
  };
}

/** Every file path in a ReportFiles, index.html last (it is written last). */
export function listReportFiles(files: ReportFiles): string[] {
  return [
    files.summaryJson,
    files.windowsCsv,
    files.backendLoadCsv,
    files.healthCsv,
    files.backendStatesCsv,
    files.markersCsv,
    ...files.charts.flatMap((chart) => [chart.spec, chart.png]),
    files.indexHtml,
  ];
}
