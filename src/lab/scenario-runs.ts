// From a loaded scenario to results: one run per variant (or the scenario itself when it has none), all with
// the same seed, so they share arrivals, demands, GC and failure times (common random numbers).
import { buildRun, type BuiltRun } from "../scenario/build.js";
import type { LoadedScenario } from "../scenario/load.js";
import type { World } from "../model/world.js";
import type { ComparisonRow, ScenarioReport, VariantResult } from "../report/report-data.js";
import { checkExpectations } from "./expectations.js";
import { executeRun, LBSIM_VERSION, runFailure, type RunPlan } from "./run-plan.js";

/** The variants to run: every one the scenario declares, or the scenario as written ("base"). */
export function variantsOf(loaded: LoadedScenario): Array<string | null> {
  return loaded.variants.length > 0 ? loaded.variants.map((v) => v.name) : [null];
}

export function planFor(built: BuiltRun): RunPlan {
  return {
    scenario: built.scenario,
    variant: built.variant ?? "base",
    world: built.world,
    tier: built.tier,
    timeline: built.timeline,
    warmupUs: built.warmupUs,
    windowUs: chooseWindowUs(built.durationUs),
  };
}

/** About 200 windows over the run, on a 1-2-5 grid of milliseconds, never below 10 ms. */
export function chooseWindowUs(durationUs: number): number {
  const target = durationUs / 200 / 1_000;
  let best = 10;
  for (let decade = 10; decade <= 1e9; decade *= 10) {
    for (const step of [1, 2, 5]) {
      const candidate = decade * step;
      if (candidate <= target) best = candidate;
    }
  }
  return Math.max(10, best) * 1_000;
}

export function runVariants(
  loaded: LoadedScenario,
  seed: string | undefined,
  onProgress?: (variant: string, fraction: number) => void,
  watch?: (variant: string, world: World) => void,
): VariantResult[] {
  return variantsOf(loaded).map((variant) => runVariant(
    loaded, variant, seed,
    onProgress ? (fraction) => onProgress(variant ?? "base", fraction) : undefined,
    watch ? (world) => watch(variant ?? "base", world) : undefined,
  ));
}

/** Builds and runs one variant; anything that breaks on the way leaves as a SimulationError with the seed. */
export function runVariant(loaded: LoadedScenario, variant: string | null, seed: string | undefined, onProgress?: (fraction: number) => void, watch?: (world: World) => void): VariantResult {
  let plan: RunPlan;
  try {
    plan = planFor(buildRun(loaded, variant, seed));
  } catch (error) {
    throw runFailure(error, `${loaded.base.name}/${variant ?? "base"}`, seed ?? loaded.base.seed, 0);
  }
  return executeRun(plan, onProgress, watch);
}

/** Whose tier defaults the runs used: `haproxy`, or `lbsim` without lb.proxy; per variant where they differ. */
export function defaultsOf(loaded: LoadedScenario): string {
  const name = (proxy: string | null): string => proxy ?? "lbsim";
  const base = name(loaded.base.lb.proxy);
  const differing = loaded.variants.filter((v) => name(v.config.lb.proxy) !== base).map((v) => `variant ${v.name}: ${name(v.config.lb.proxy)}`);
  return [base, ...differing].join("; ");
}

export interface ReportInput {
  loaded: LoadedScenario;
  results: VariantResult[];
  command: string;
  comparison?: ComparisonRow[];
  comparisonSeeds?: string[];
  verdicts?: string[];
}

export function scenarioReport(input: ReportInput): ScenarioReport {
  const base = input.loaded.base;
  const checked = checkExpectations(base.expect, input.results.map((r) => r.summary));
  return {
    scenario: { name: base.name, title: base.title ?? base.name, description: base.description, file: input.loaded.file, defaults: defaultsOf(input.loaded) },
    command: input.command,
    seed: input.results[0]?.summary.seed ?? String(base.seed),
    version: LBSIM_VERSION,
    variants: input.results,
    comparison: input.comparison ?? [],
    comparisonSeeds: input.comparisonSeeds ?? [],
    verdicts: input.verdicts ?? [],
    expectations: checked.results,
    skippedExpectations: checked.skipped,
  };
}
