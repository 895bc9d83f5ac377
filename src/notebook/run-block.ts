// Executes one ```lbsim block: load the scenario (a file, or the inline YAML), run every variant with one seed
// (common random numbers, as `lbsim run` does) and keep the report the charts and tables are drawn from. Errors
// in an inline scenario point at notebook lines; errors in a scenario file point at the file.
import { isScalar, Scalar } from "yaml";
import type { RunMemo } from "../lab/run-memo.js";
import { runVariants, scenarioReport } from "../lab/scenario-runs.js";
import { ScenarioError } from "../scenario/errors/scenario-error.js";
import { locate } from "../scenario/errors/yaml-locate.js";
import { loadScenario, parseScenario, type LoadedScenario, type LoadOptions } from "../scenario/load.js";
import { lbsimBlock, type LbsimBlock } from "./block-schemas.js";
import { readBlockYaml, validateBlock, type BlockYaml } from "./block-yaml.js";
import { reproduceRun, scenarioFileOf } from "./command-line.js";
import { placeFileIssues, shiftInlineIssues } from "./notebook-error.js";
import type { NotebookRun } from "./run-results.js";
import type { BlockSegment } from "./split-notebook.js";

export function parseRunBlock(segment: BlockSegment, file: string): { yaml: BlockYaml; block: LbsimBlock } {
  const yaml = readBlockYaml({ label: "lbsim block", text: segment.text, line: segment.line, contentLine: segment.contentLine }, file);
  return { yaml, block: validateBlock(yaml, lbsimBlock, yaml.value) };
}

/** Runs the block; a block that runs a scenario file takes its results from `memo` when an earlier one ran the same. */
export function executeRunBlock(segment: BlockSegment, file: string, memo?: RunMemo): NotebookRun {
  const { yaml, block } = parseRunBlock(segment, file);
  const loaded = loadBlockScenario(yaml, block, file);
  const asked = block.seed === undefined ? undefined : String(block.seed);
  const run = (): ReturnType<typeof runVariants> => runVariants(loaded, asked);
  const results = memo === undefined || block.run === undefined
    ? run()
    : memo.results(scenarioFileOf(block.run, file), { ...(block.set === undefined ? {} : { set: block.set }), ...(block.variant === undefined ? {} : { variant: block.variant }), ...(asked === undefined ? {} : { seed: asked }) }, run);
  const seed = results[0]!.summary.seed;
  const report = scenarioReport({ loaded, results, command: reproduceRun(block, seed, file) });
  return {
    name: block.as,
    line: segment.line,
    report,
    descriptions: new Map(loaded.variants.map((v) => [v.name, v.description])),
    inlineYaml: block.scenario ?? null,
  };
}

function loadBlockScenario(yaml: BlockYaml, block: LbsimBlock, file: string): LoadedScenario {
  const options: LoadOptions = { ...(block.set === undefined ? {} : { set: block.set }), ...(block.variant === undefined ? {} : { variant: block.variant }) };
  if (block.run !== undefined) {
    try {
      return loadScenario(scenarioFileOf(block.run, file), options);
    } catch (error) {
      throw error instanceof ScenarioError ? placeFileIssues(error, file, yaml.segment.line) : error;
    }
  }
  const name = `${file}#${block.as}`;
  try {
    return parseScenario(block.scenario!, name, options);
  } catch (error) {
    throw error instanceof ScenarioError ? shiftInlineIssues(error, name, file, inlineFirstLine(yaml)) : error;
  }
}

/** The notebook line of the inline scenario's first line: the line after `scenario: |` for a block scalar. */
function inlineFirstLine(yaml: BlockYaml): number {
  const pos = locate(yaml.doc, yaml.lines, ["scenario"], false);
  const node = yaml.doc.get("scenario", true);
  const isBlockScalar = isScalar(node) && (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED);
  return pos.line + yaml.segment.contentLine - 1 + (isBlockScalar ? 1 : 0);
}
