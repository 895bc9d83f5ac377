// What the playground's Web Worker runs, with no DOM and no Node: scenario text in; the `lbsim run --json` text,
// the report (for the charts and the summary table) and a bounded trace per variant (for the animation) out. It
// calls the same functions as `lbsim run`, so for the same scenario, seed and version the JSON is byte-identical.
import { runVariants, scenarioReport } from "../lab/scenario-runs.js";
import { initHistograms } from "../metrics/histogram.js";
import type { ScenarioReport } from "../report/report-data.js";
import { commandLine } from "../report/command-line.js";
import { runJsonText } from "../report/run-json.js";
import { parseScenario } from "../scenario/load.js";
import { attachTrace, backendNames, type RunTrace } from "./trace.js";

export interface PlaygroundRun {
  json: string;
  report: ScenarioReport;
  traces: RunTrace[];
}

/** The command line that reproduces a run: the same words `lbsim run` puts in its JSON. */
export function playgroundCommand(file: string, seed: string): string {
  return commandLine(["lbsim", "run", file, "--seed", seed]);
}

/**
 * Runs every variant of `text` (named `file` in messages and in the JSON's command, as `lbsim run file` would).
 * Throws ScenarioError for a scenario that does not validate, SimulationError for a run that fails.
 */
export async function runScenarioText(text: string, file: string, seed: string | undefined, onProgress?: (variant: string, fraction: number) => void): Promise<PlaygroundRun> {
  await initHistograms();
  const loaded = parseScenario(text, file);
  const traces: RunTrace[] = [];
  const worlds: Array<{ trace: RunTrace; names: () => string[] }> = [];
  const results = runVariants(loaded, seed, onProgress, (variant, world) => {
    const trace = attachTrace(variant, world);
    traces.push(trace);
    worlds.push({ trace, names: () => backendNames(world) });
  });
  for (const w of worlds) w.trace.backends = w.names();
  const runSeed = results[0]!.summary.seed;
  const report = scenarioReport({ loaded, results, command: playgroundCommand(file, runSeed) });
  return { json: runJsonText(report), report, traces };
}
