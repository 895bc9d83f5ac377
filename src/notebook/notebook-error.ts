// Problems in a notebook are user errors of the same kind as problems in a scenario: they name the file and
// line, print without a stack trace and exit 2. Reusing ScenarioError means the CLI's one error path (main.ts)
// prints them, and an inline scenario's own errors need only their line numbers shifted to the notebook's.
import { ScenarioError, type ScenarioIssue } from "../scenario/errors/scenario-error.js";

/** One problem at a notebook line (1-based). */
export function notebookIssue(file: string, line: number, message: string, expected = ""): ScenarioIssue {
  return { file, line, column: 1, path: "", message, expected };
}

export function notebookError(file: string, line: number, message: string): ScenarioError {
  return new ScenarioError([notebookIssue(file, line, message)]);
}

/**
 * Moves issues found in an inline scenario (lines counted from the block's first content line) to the notebook:
 * `firstLine` is the notebook line of that first content line. Issues without a line (a bad `set:` entry) are
 * placed at the block's opening fence so the reader still finds the block.
 */
export function shiftInlineIssues(error: ScenarioError, blockFile: string, notebookFile: string, firstLine: number): ScenarioError {
  return new ScenarioError(
    error.issues.map((issue) =>
      issue.file === blockFile && issue.line > 0
        ? { ...issue, file: notebookFile, line: issue.line + firstLine - 1 }
        : atFence(issue, notebookFile, firstLine - 1),
    ),
  );
}

/**
 * Issues from a scenario file named by `run:`: those inside the file keep its name and line (that is where the
 * fix goes); those without a line (a bad `set:` entry, a missing file, an unknown variant) point at the block.
 */
export function placeFileIssues(error: ScenarioError, notebookFile: string, fenceLine: number): ScenarioError {
  return new ScenarioError(error.issues.map((issue) => (issue.line > 0 ? issue : atFence(issue, notebookFile, fenceLine))));
}

function atFence(issue: ScenarioIssue, notebookFile: string, fenceLine: number): ScenarioIssue {
  const path = issue.path === "" ? "" : `${issue.path}: `;
  return { ...issue, file: notebookFile, line: fenceLine, column: 1, path: "", message: `${issue.file}: ${path}${issue.message}` };
}
