// The playground's Web Worker: runs the scenario with lbsim's own engine, model, balancers and health code, off
// the page's thread, so the page stays responsive and a run can be cancelled (by terminating this worker).
import { SimulationError } from "../../engine/invariant.js";
import { ScenarioError } from "../../scenario/errors/scenario-error.js";
import { runScenarioText } from "../run-scenario.js";
import type { RunRequest, WorkerMessage } from "./protocol.js";

const post = (message: WorkerMessage): void => (self as unknown as Worker).postMessage(message);

self.onmessage = async (event: MessageEvent<RunRequest>) => {
  const request = event.data;
  let lastVariant = "";
  let lastFraction = -1;
  try {
    const run = await runScenarioText(request.text, request.file, request.seed, (variant, fraction) => {
      // A message per percent of each variant: enough for a bar that moves, cheap for the run (no clock needed).
      if (variant !== lastVariant || fraction - lastFraction >= 0.01 || fraction >= 1) {
        lastVariant = variant;
        lastFraction = fraction;
        post({ kind: "progress", variant, fraction });
      }
    });
    post({ kind: "done", json: run.json, report: run.report, traces: run.traces });
  } catch (error) {
    if (error instanceof ScenarioError) post({ kind: "invalid", issues: [...error.issues] });
    else if (error instanceof SimulationError) post({ kind: "failed", message: `the simulation failed: ${error.message}` });
    else post({ kind: "failed", message: `internal error: ${error instanceof Error ? error.message : String(error)}` });
  }
};
