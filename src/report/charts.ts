// The report's charts, in the order the page shows them: latency first (what users feel), then losses and why,
// then the backends' side of the story, then the statistics across seeds.
import { backendLoadChart } from "./chart-backend-load.js";
import { comparisonChart } from "./chart-comparison.js";
import { healthTimelineChart } from "./chart-health-timeline.js";
import type { ChartDefinition } from "./chart-kit.js";
import { latencyCdfChart } from "./chart-latency-cdf.js";
import { latencyOverTimeChart } from "./chart-latency-over-time.js";
import { lossByCauseChart } from "./chart-loss-by-cause.js";
import { lossOverTimeChart } from "./chart-loss-over-time.js";

export const REPORT_CHARTS: readonly ChartDefinition[] = [
  latencyOverTimeChart,
  latencyCdfChart,
  lossByCauseChart,
  lossOverTimeChart,
  backendLoadChart,
  healthTimelineChart,
  comparisonChart,
];
