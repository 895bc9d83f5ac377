// Messages between the page and the simulation's Web Worker. The worker runs one scenario at a time; the page
// cancels a run by terminating the worker and starting a new one (the simulation is synchronous, so a message
// could not interrupt it).
import type { ScenarioIssue } from "../../scenario/errors/scenario-error.js";
import type { ScenarioReport } from "../../report/report-data.js";
import type { RunTrace } from "../trace.js";

export interface RunRequest {
  kind: "run";
  text: string;
  /** The file name the scenario is known by (`scenarios/black-hole.yaml`), for messages and the JSON's command. */
  file: string;
  seed: string | undefined;
}

export type WorkerMessage =
  | { kind: "progress"; variant: string; fraction: number }
  | { kind: "done"; json: string; report: ScenarioReport; traces: RunTrace[] }
  | { kind: "invalid"; issues: ScenarioIssue[] }
  | { kind: "failed"; message: string };
