// Runs swarm worlds (src/lab/swarm/swarm-world.ts) through the whole product path and keeps what a failure needs:
// its seed (which reproduces it) and its message. A world passes when it runs to its horizon without an exception,
// its ledger balances at every level (World.run checks it, with the in-flight audit that keeps `unfinished` from
// hiding a lost request) and the watchdog and event budget never fire (no hang).
import { parseScenario } from "../../scenario/load.js";
import { buildRun } from "../../scenario/build.js";
import { executeRun } from "../run-plan.js";
import { planFor } from "../scenario-runs.js";
import { swarmScenario } from "./swarm-world.js";

export interface SwarmFailure {
  seed: number;
  message: string;
}

export interface SwarmReport {
  worlds: number;
  failures: SwarmFailure[];
  /** Totals over the worlds that passed: user requests, events, and how many worlds reached each outcome. */
  requests: number;
  events: number;
  outcomeWorlds: Record<string, number>;
}

/** Runs one world; throws whatever the run throws. Call initHistograms() once first. */
export function runSwarmWorld(seed: number) {
  const loaded = parseScenario(swarmScenario(seed), `swarm-${seed}.yaml`);
  return executeRun(planFor(buildRun(loaded, null))).summary;
}

/** Runs worlds `first` .. `first + count - 1`, collecting failures instead of stopping at the first. */
export function runSwarm(first: number, count: number, onWorld?: (seed: number, failure: SwarmFailure | null) => void): SwarmReport {
  const report: SwarmReport = { worlds: 0, failures: [], requests: 0, events: 0, outcomeWorlds: {} };
  for (let seed = first; seed < first + count; seed++) {
    let failure: SwarmFailure | null = null;
    try {
      const summary = runSwarmWorld(seed);
      report.requests += summary.requests.sent;
      report.events += summary.events;
      for (const [outcome, n] of Object.entries(summary.requests.outcomes)) {
        if (n > 0) report.outcomeWorlds[outcome] = (report.outcomeWorlds[outcome] ?? 0) + 1;
      }
    } catch (error) {
      failure = { seed, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
      report.failures.push(failure);
    }
    report.worlds++;
    onWorld?.(seed, failure);
  }
  return report;
}
