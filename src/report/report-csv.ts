// The series behind the charts as CSV, one row per variant and point, for spreadsheets and notebooks. Columns are
// fixed (every outcome gets a column, zero when absent) so files from different runs line up.
import { type CsvCell, toCsv } from "./csv.js";
import { OUTCOMES } from "../metrics/ledger.js";
import type { BackendPoint, BackendStateSpan, HealthSpan, Marker, ScenarioReport, WindowPoint } from "./report-data.js";

type Tagged<T> = T & { variant: string };

function tagged<T>(report: ScenarioReport, pick: (series: ScenarioReport["variants"][number]["series"]) => readonly T[]): Array<Tagged<T>> {
  return report.variants.flatMap(({ summary, series }) => pick(series).map((point) => ({ ...point, variant: summary.variant })));
}

const column = <Row>(name: string, value: (row: Row) => CsvCell) => ({ name, value });

export function windowsCsv(report: ScenarioReport): string {
  const outcomeColumns = OUTCOMES.filter((outcome) => outcome !== "ok").map((outcome) =>
    column<Tagged<WindowPoint>>(outcome, (row) => row.outcomes[outcome] ?? 0),
  );
  return toCsv(
    [
      column<Tagged<WindowPoint>>("variant", (row) => row.variant),
      column<Tagged<WindowPoint>>("startMs", (row) => row.startMs),
      column<Tagged<WindowPoint>>("endMs", (row) => row.endMs),
      column<Tagged<WindowPoint>>("count", (row) => row.count),
      column<Tagged<WindowPoint>>("ok", (row) => row.ok),
      column<Tagged<WindowPoint>>("failed", (row) => row.failed),
      column<Tagged<WindowPoint>>("p50Ms", (row) => row.p50Ms),
      column<Tagged<WindowPoint>>("p90Ms", (row) => row.p90Ms),
      column<Tagged<WindowPoint>>("p99Ms", (row) => row.p99Ms),
      column<Tagged<WindowPoint>>("maxMs", (row) => row.maxMs),
      column<Tagged<WindowPoint>>("failedP50Ms", (row) => row.failedP50Ms),
      column<Tagged<WindowPoint>>("failedP99Ms", (row) => row.failedP99Ms),
      column<Tagged<WindowPoint>>("failedMaxMs", (row) => row.failedMaxMs),
      ...outcomeColumns,
    ],
    tagged(report, (series) => series.windows),
  );
}

export function backendLoadCsv(report: ScenarioReport): string {
  return toCsv(
    [
      column<Tagged<BackendPoint>>("variant", (row) => row.variant),
      column<Tagged<BackendPoint>>("backend", (row) => row.backend),
      column<Tagged<BackendPoint>>("startMs", (row) => row.startMs),
      column<Tagged<BackendPoint>>("endMs", (row) => row.endMs),
      column<Tagged<BackendPoint>>("meanInFlight", (row) => row.meanInFlight),
      column<Tagged<BackendPoint>>("maxInFlight", (row) => row.maxInFlight),
      column<Tagged<BackendPoint>>("utilisation", (row) => row.utilisation),
      column<Tagged<BackendPoint>>("started", (row) => row.started),
    ],
    tagged(report, (series) => series.backendLoad),
  );
}

export function healthCsv(report: ScenarioReport): string {
  return toCsv(
    [
      column<Tagged<HealthSpan>>("variant", (row) => row.variant),
      column<Tagged<HealthSpan>>("node", (row) => row.node),
      column<Tagged<HealthSpan>>("backend", (row) => row.backend),
      column<Tagged<HealthSpan>>("state", (row) => row.state),
      column<Tagged<HealthSpan>>("fromMs", (row) => row.fromMs),
      column<Tagged<HealthSpan>>("toMs", (row) => row.toMs),
    ],
    tagged(report, (series) => series.health),
  );
}

/** What each backend really was (up, not-ready, degraded, gc-pause, hung, down), beside health.csv's node views. */
export function backendStatesCsv(report: ScenarioReport): string {
  return toCsv(
    [
      column<Tagged<BackendStateSpan>>("variant", (row) => row.variant),
      column<Tagged<BackendStateSpan>>("backend", (row) => row.backend),
      column<Tagged<BackendStateSpan>>("state", (row) => row.state),
      column<Tagged<BackendStateSpan>>("fromMs", (row) => row.fromMs),
      column<Tagged<BackendStateSpan>>("toMs", (row) => row.toMs),
    ],
    tagged(report, (series) => series.backendStates),
  );
}

/** GC pauses, crashes, hangs...; endMs is empty for instants. */
export function markersCsv(report: ScenarioReport): string {
  return toCsv(
    [
      column<Tagged<Marker>>("variant", (row) => row.variant),
      column<Tagged<Marker>>("backend", (row) => row.backend),
      column<Tagged<Marker>>("kind", (row) => row.kind),
      column<Tagged<Marker>>("atMs", (row) => row.atMs),
      column<Tagged<Marker>>("endMs", (row) => row.endMs),
    ],
    tagged(report, (series) => series.markers),
  );
}

/** The summaries array as pretty JSON with a final newline: diffable, and the same bytes for the same report. */
export function summaryJson(report: ScenarioReport): string {
  return `${JSON.stringify(
    report.variants.map((variant) => variant.summary),
    null,
    2,
  )}\n`;
}
