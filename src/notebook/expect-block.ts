// An ```expect block: the lesson's claims, checked against its runs. Each entry is a scenario `expect:` line plus
// the run it reads (`- { run: bh, variant: http, metric: requests.lost, below: { variant: tcp, factor: 0.1 } }`).
// A claim that no longer holds fails the notebook (exit 1), so prose that states a result cannot silently rot.
import { evaluateExpectations } from "../lab/expectations.js";
import type { ExpectationResult } from "../report/report-data.js";
import { expectation as expectationSchema } from "../scenario/schema/expect.js";
import { expectBlock } from "./block-schemas.js";
import { readBlockYaml, validateBlock } from "./block-yaml.js";
import { checkMetric, findRun, findSummary, type Runs } from "./run-results.js";
import type { BlockSegment } from "./split-notebook.js";

export interface NotebookExpectation extends ExpectationResult {
  run: string;
  /** Notebook line of the entry. */
  line: number;
}

export function evaluateExpectBlock(segment: BlockSegment, file: string, runs: Runs): NotebookExpectation[] {
  const yaml = readBlockYaml({ label: "expect block", text: segment.text, line: segment.line, contentLine: segment.contentLine }, file);
  const entries = validateBlock(yaml, expectBlock, yaml.value);
  return entries.flatMap((entry, index) => {
    const line = entryLine(yaml.doc.getIn([index], true), yaml.lines.linePos.bind(yaml.lines), segment.contentLine);
    const site = { file, line };
    const { run: runName, ...rest } = entry;
    const parsed = validateBlock(yaml, expectationSchema, withoutUndefined(rest), [index]);
    const run = findRun(runs, runName, site);
    if (parsed.variant !== null) findSummary(run, parsed.variant, site);
    for (const bound of [parsed.above, parsed.below]) if (bound !== null && "variant" in bound) findSummary(run, bound.variant, site);
    checkMetric(run, parsed.metric, site);
    const summaries = run.report.variants.map((v) => v.summary);
    return evaluateExpectations([parsed], summaries).map((result) => ({ ...result, run: runName, line }));
  });
}

function entryLine(node: unknown, linePos: (offset: number) => { line: number }, contentLine: number): number {
  const offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0] ?? 0;
  return linePos(offset).line + contentLine - 1;
}

function withoutUndefined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
