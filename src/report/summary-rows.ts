// The summary table's content, variants as columns and measures as rows, built once and drawn twice: as HTML in
// index.html and as aligned text in the terminal. With two or three variants side by side, a reader compares a
// measure across a row without hunting.
import { formatCount, formatMs, formatPercent } from "./format.js";
import { lossCausesPresent, topLossCauses } from "./loss-causes.js";
import type { LatencySummaryMs, RunSummary } from "./report-data.js";

export interface SummaryRow {
  label: string;
  /** One formatted cell per variant, in the report's variant order. */
  cells: string[];
  /** A loss-cause row, drawn indented under "lost". */
  cause: boolean;
}

export interface SummaryRowOptions {
  /** Show only this many loss causes (the largest); the rest are summed into "other causes". Default: all. */
  maxCauses?: number;
  /** Only p50 and p99 (the terminal's narrow view); the HTML shows p90 and p99.9 as well. */
  compact?: boolean;
}

export function summaryRows(summaries: readonly RunSummary[], options: SummaryRowOptions = {}): SummaryRow[] {
  const row = (label: string, cell: (summary: RunSummary) => string, cause = false): SummaryRow => ({
    label,
    cells: summaries.map(cell),
    cause,
  });
  const present = lossCausesPresent(summaries);
  const shown = options.maxCauses === undefined ? present : topLossCauses(summaries, options.maxCauses);
  const hidden = present.filter((cause) => !shown.includes(cause));
  const rows: SummaryRow[] = [
    row("sent", (s) => formatCount(s.requests.sent)),
    row("ok", (s) => formatCount(s.requests.ok)),
    row("lost", (s) => `${formatCount(s.requests.lost)} (${formatPercent(s.requests.lostFraction)})`),
    ...shown.map((cause) => row(cause, (s) => formatCount(s.requests.outcomes[cause] ?? 0), true)),
  ];
  if (hidden.length > 0) {
    const other = (s: RunSummary): number => hidden.reduce((sum, cause) => sum + (s.requests.outcomes[cause] ?? 0), 0);
    rows.push(row(`other causes (${hidden.length})`, (s) => formatCount(other(s)), true));
  }
  if (summaries.some((s) => (s.requests.outcomes.unfinished ?? 0) > 0)) {
    rows.push(row("unfinished at horizon", (s) => formatCount(s.requests.outcomes.unfinished ?? 0)));
  }
  rows.push(row("p50 ms", (s) => percentileMs(s.latencyMs, "p50")));
  if (options.compact !== true) rows.push(row("p90 ms", (s) => percentileMs(s.latencyMs, "p90")));
  rows.push(row("p99 ms", (s) => percentileMs(s.latencyMs, "p99")));
  if (options.compact !== true) rows.push(row("p99.9 ms", (s) => percentileMs(s.latencyMs, "p999")));
  // Users wait for failures too: how long, from first send to the final failure.
  if (summaries.some((s) => s.failedLatencyMs.count > 0)) {
    rows.push(row("failed p50 ms", (s) => percentileMs(s.failedLatencyMs, "p50")));
    if (options.compact !== true) rows.push(row("failed p99 ms", (s) => percentileMs(s.failedLatencyMs, "p99")));
  }
  // Beneath the user requests: the client's retries (tries) and the balancer's (attempts).
  if (summaries.some((s) => s.tries.retries > 0)) rows.push(row("client retries", (s) => formatCount(s.tries.retries)));
  rows.push(row("balancer retries", (s) => formatCount(s.attempts.retries)));
  if (summaries.some((s) => s.attempts.hedges > 0)) rows.push(row("hedges", (s) => formatCount(s.attempts.hedges)));
  rows.push(row("duplicates", (s) => formatCount(s.attempts.duplicates)));
  return rows;
}

/**
 * A percentile of a variant's latencies, or "-" when it had no such requests: a variant that lost nothing has no
 * failed p50, and printing the histogram's empty 0 would read as failures that came back at once.
 */
function percentileMs(latency: LatencySummaryMs, which: "p50" | "p90" | "p99" | "p999"): string {
  return latency.count > 0 ? formatMs(latency[which]) : "-";
}
