// The summary for the terminal: measures as rows, variants as columns, plain aligned text (no colours, so it
// survives pipes, logs and CI output). Only the largest loss causes are listed to keep it short; the HTML has all.
import { formatValue } from "./format.js";
import type { ScenarioReport } from "./report-data.js";
import { summaryRows } from "./summary-rows.js";

/** How many loss causes the terminal lists by name; the rest are summed into "other causes". */
export const TERMINAL_LOSS_CAUSES = 4;

/** Aligned columns: the first left-aligned, the rest right-aligned (they hold numbers). */
export function alignColumns(rows: ReadonlyArray<readonly string[]>): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows
    .map((row) => row.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!))).join("  ").trimEnd())
    .join("\n");
}

export function renderTerminalSummary(report: ScenarioReport): string {
  const summaries = report.variants.map((variant) => variant.summary);
  const rows = summaryRows(summaries, { maxCauses: TERMINAL_LOSS_CAUSES, compact: true });
  const header = ["", ...summaries.map((summary) => summary.variant)];
  const body = rows.map((row) => [row.cause ? `  ${row.label}` : row.label, ...row.cells]);
  const rule = header.map((cell, index) => (index === 0 ? "" : "-".repeat(Math.max(cell.length, ...body.map((row) => row[index]?.length ?? 0)))));
  // Name the proxy whose defaults the tier took (lb.proxy); lbsim's own defaults go unmentioned.
  const defaults = report.scenario.defaults === undefined || report.scenario.defaults === "lbsim" ? "" : `, ${report.scenario.defaults} defaults`;
  const title = `${report.scenario.name} (seed ${report.seed}, lbsim ${report.version}${defaults})`;
  return `${title}\n${alignColumns([header, rule, ...body])}\n`;
}

/** One line per expectation, PASS or FAIL first so a failing one is easy to spot; then SKIP and why. */
export function renderTerminalExpectations(report: ScenarioReport): string {
  return [
    ...report.expectations.map((expectation) => `${expectation.passed ? "PASS" : "FAIL"}  ${expectation.variant}: ${expectation.text} (actual ${formatValue(expectation.actual)})`),
    ...report.skippedExpectations.map((skip) => `SKIP  ${skip.variant}: ${skip.text} (${skip.reason})`),
  ]
    .map((line) => `${line}\n`)
    .join("");
}
