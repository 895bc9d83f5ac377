// A notebook's executed runs, by the name their ```lbsim block gave them (`as:`), and the lookups the prose,
// charts and expect blocks make into them. Every lookup of a run, variant or metric that does not exist is a
// user error at the line that asked for it, with the names that do exist.
import { didYouMean } from "../scenario/errors/did-you-mean.js";
import { isKnownMetric, knownMetrics, RENAMED_METRICS } from "../scenario/metric-path.js";
import type { RunSummary, ScenarioReport } from "../report/report-data.js";
import { notebookError } from "./notebook-error.js";

export interface NotebookRun {
  /** The `as:` name. */
  name: string;
  /** Line of the ```lbsim fence. */
  line: number;
  report: ScenarioReport;
  /** Variant name -> its description from the scenario (empty for the base run). */
  descriptions: ReadonlyMap<string, string>;
  /** The inline scenario's YAML, shown in the page; null for a scenario file. */
  inlineYaml: string | null;
}

export type Runs = ReadonlyMap<string, NotebookRun>;

/** Where a lookup was made from, for messages. */
export interface Site {
  file: string;
  line: number;
}

const hint = (word: string, names: readonly string[]): string => {
  const guess = didYouMean(word, names);
  return guess === undefined ? "" : ` (did you mean \`${guess}\`?)`;
};

/** A summary-schema-1 name that moved: say where to, however far the new name is from the old. */
const renamedHint = (metric: string): string | undefined => {
  const renamed = RENAMED_METRICS[metric];
  return renamed === undefined ? undefined : ` (did you mean \`${renamed}\`? it moved in summary schema 2)`;
};

export function findRun(runs: Runs, name: string, site: Site): NotebookRun {
  const run = runs.get(name);
  if (run !== undefined) return run;
  const names = [...runs.keys()];
  const known = names.length === 0 ? "this notebook has no ```lbsim block" : `runs: ${names.join(", ")}`;
  throw notebookError(site.file, site.line, `unknown run "${name}" (${known})${hint(name, names)}`);
}

export function variantNamesOf(run: NotebookRun): string[] {
  return run.report.variants.map((v) => v.summary.variant);
}

export function findSummary(run: NotebookRun, variant: string, site: Site): RunSummary {
  const summary = run.report.variants.find((v) => v.summary.variant === variant)?.summary;
  if (summary !== undefined) return summary;
  const names = variantNamesOf(run);
  throw notebookError(site.file, site.line, `unknown variant "${variant}" of run ${run.name} (variants: ${names.join(", ")})${hint(variant, names)}`);
}

/** Checks that `metric` names a number in this run's summaries (the same names `expect:` accepts). */
export function checkMetric(run: NotebookRun, metric: string, site: Site): void {
  const backends = run.report.variants[0]?.summary.backends.map((b) => b.name) ?? [];
  if (isKnownMetric(metric, backends)) return;
  const examples = "requests.lostFraction, latencyMs.p99, requests.outcomes.upstream-timeout, backends.<name>.requests";
  throw notebookError(site.file, site.line, `unknown metric "${metric}" (metrics look like ${examples}; backends: ${backends.join(", ")})${renamedHint(metric) ?? hint(metric, knownMetrics(backends))}`);
}
