// The report package: what the CLI and the notebooks use to turn a ScenarioReport into files and terminal text.
export type * from "./report-data.js";
export { writeReport, type WriteReportOptions } from "./write-report.js";
export { listReportFiles, reportPaths, type ChartFiles, type ReportFiles } from "./report-paths.js";
export { renderTerminalExpectations, renderTerminalSummary } from "./terminal-summary.js";
export { writeFileAtomic } from "./atomic-write.js";
export { REPORT_CHARTS } from "./charts.js";
export type { ChartDefinition } from "./chart-kit.js";
export { latencyOverTimeSpec } from "./chart-latency-over-time.js";
export { latencyCdfSpec } from "./chart-latency-cdf.js";
export { lossByCauseSpec } from "./chart-loss-by-cause.js";
export { lossOverTimeSpec } from "./chart-loss-over-time.js";
export { backendLoadSpec } from "./chart-backend-load.js";
export { healthTimelineSpec } from "./chart-health-timeline.js";
export { comparisonSpec } from "./chart-comparison.js";
