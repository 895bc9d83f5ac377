// The `lbsim run --json` document, built in one place for the CLI and the playground, so the two print the same
// bytes for the same scenario, seed and version (a test holds them to it).
import { SUMMARY_SCHEMA_VERSION, type ScenarioReport } from "./report-data.js";

/** One variant's summary at the top level, or every variant under `variants`. */
export function runJson(report: ScenarioReport): Record<string, unknown> {
  const summaries = report.variants.map((v) => v.summary);
  const head = { schemaVersion: SUMMARY_SCHEMA_VERSION, scenario: report.scenario.name, seed: report.seed, version: report.version, defaults: report.scenario.defaults ?? "lbsim", command: report.command };
  const { expectations, skippedExpectations } = report;
  if (summaries.length === 1) return { ...head, ...summaries[0], expectations, skippedExpectations };
  return { ...head, variants: summaries, expectations, skippedExpectations };
}

/** The text `lbsim run --json` prints: two-space JSON and a newline. */
export const runJsonText = (report: ScenarioReport): string => `${JSON.stringify(runJson(report), null, 2)}\n`;
