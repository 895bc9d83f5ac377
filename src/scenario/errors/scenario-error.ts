// A user error in a scenario: every problem found, each with the file, line and column of the offending node,
// the field path, what was expected and, for a likely typo, what was probably meant. `format()` is what the
// CLI prints to stderr before exiting with code 2: one line per problem, no stack trace (DESIGN.md invariant 5).

export interface ScenarioIssue {
  file: string;
  /** 1-based; 0 when the value did not come from the file (a `--set` override). */
  line: number;
  column: number;
  /** Dotted field path, e.g. `lb.health.rise` or `backends.0.gc.1.pause`; empty for the document itself. */
  path: string;
  /** The full sentence, e.g. `expected an integer >= 1, got 0`. */
  message: string;
  /** What would have been accepted, e.g. `an integer >= 1`. */
  expected: string;
  didYouMean?: string;
}

export class ScenarioError extends Error {
  override readonly name = "ScenarioError";

  constructor(readonly issues: readonly ScenarioIssue[]) {
    super(formatIssues(issues));
  }

  /** `scenarios/foo.yaml:12:5: lb.health.rise: expected an integer >= 1, got 0`, one line per issue. */
  format(): string {
    return formatIssues(this.issues);
  }
}

export function formatIssue(issue: ScenarioIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  const path = issue.path === "" ? "" : `${issue.path}: `;
  const hint = issue.didYouMean === undefined ? "" : ` (did you mean \`${issue.didYouMean}\`?)`;
  return `${where}: ${path}${issue.message}${hint}`;
}

function formatIssues(issues: readonly ScenarioIssue[]): string {
  return issues.map(formatIssue).join("\n");
}
