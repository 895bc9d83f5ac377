// One run of one variant of a scenario: build the world and the balancer tier, apply the timeline, run to the
// horizon (the ledger is checked there), and turn what the observer kept into a summary and chart series.
import { SimulationError } from "../engine/invariant.js";
import { ScenarioError } from "../scenario/errors/scenario-error.js";
import type { LbTierConfig } from "../model/lb/lb-config.js";
import { LbTier } from "../model/lb/lb-tier.js";
import { World, type WorldConfig } from "../model/world.js";
import type { VariantResult } from "../report/report-data.js";
import { RunObserver } from "./run-observer.js";
import { buildSeries, buildSummary } from "./summarize.js";
import { scheduleTimeline, type TimelineStep } from "../model/timeline.js";

export interface RunPlan {
  scenario: string;
  variant: string;
  world: WorldConfig;
  tier: LbTierConfig;
  timeline: TimelineStep[];
  /** Requests sent before this time are not counted (the system settles first). */
  warmupUs: number;
  /** Length of the time windows behind the over-time charts. */
  windowUs: number;
}

export const LBSIM_VERSION = "0.1.0";

/**
 * Runs one plan. `watch` sees the world before it runs (the playground attaches its bounded trace there); it must
 * only listen, never act, so a watched run gives the same result as any other.
 */
export function executeRun(plan: RunPlan, onProgress?: (fraction: number) => void, watch?: (world: World) => void): VariantResult {
  let world: World | null = null;
  let observer: RunObserver | null = null;
  try {
    world = new World(plan.world);
    const tier = new LbTier(world, plan.tier);
    observer = new RunObserver(world, tier, plan.windowUs);
    scheduleTimeline(world, tier, plan.timeline);
    watch?.(world);
    const result = world.run(onProgress);
    observer.finish();
    return {
      summary: buildSummary(plan, world, tier, result, observer),
      series: buildSeries(world, observer),
    };
  } catch (error) {
    // Whatever breaks while building, running or summarising a world is lbsim's failure, not the user's: it
    // leaves as a SimulationError naming the seed (exit 3), whatever threw it.
    throw runFailure(error, `${plan.scenario}/${plan.variant}`, plan.world.seed, world?.sim.now ?? 0);
  } finally {
    observer?.latency.destroy();
  }
}

/**
 * `error` as a SimulationError naming the run and its seed. A SimulationError already names them, and a
 * ScenarioError is the user's (a replay log that cannot be read while building): both pass through unchanged.
 */
export function runFailure(error: unknown, run: string, seed: string | number, timeUs: number): unknown {
  if (error instanceof SimulationError || error instanceof ScenarioError) return error;
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new SimulationError(`internal error in ${run}: ${what}`, String(seed), timeUs, { cause: error });
}
