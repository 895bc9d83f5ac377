// The YAML inside a fenced block, read with positions so every problem points at a notebook line: a syntax error,
// a missing or unknown key, a wrong value. Validation reuses the scenario loader's zod-to-sentence conversion, so
// a block's messages read like a scenario's ("unknown key `cahrt` (did you mean `chart`?)").
import { LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { ScenarioError, type ScenarioIssue } from "../scenario/errors/scenario-error.js";
import { documentData } from "../scenario/errors/hostile-yaml.js";
import { locate, positionOf } from "../scenario/errors/yaml-locate.js";
import { convertIssues } from "../scenario/errors/zod-issues.js";
import { notebookError } from "./notebook-error.js";

/** Positioned YAML text: a fenced block's content, or the front matter. */
export interface YamlSource {
  /** What to call it in messages: "lbsim block", "chart block", "expect block", "front matter". */
  label: string;
  text: string;
  /** The line that introduces it (the opening fence), for "the block is empty". */
  line: number;
  /** The line of its first content line. */
  contentLine: number;
}

export interface BlockYaml {
  file: string;
  segment: YamlSource;
  doc: Document;
  lines: LineCounter;
  value: unknown;
}

export function readBlockYaml(segment: YamlSource, file: string): BlockYaml {
  const lines = new LineCounter();
  const doc = parseDocument(segment.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((error) => {
        const pos = positionOf(lines, error.pos[0]);
        const message = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
        return { file, line: pos.line + segment.contentLine - 1, column: pos.column, path: "", message: `in the ${segment.label}: syntax error: ${message}`, expected: "valid YAML" };
      }),
    );
  }
  const converted = documentData(doc, lines, file);
  if ("issue" in converted) throw new ScenarioError([{ ...converted.issue, line: converted.issue.line + segment.contentLine - 1, message: `in the ${segment.label}: ${converted.issue.message}` }]);
  const value = converted.data;
  if (value === null || value === undefined) throw notebookError(file, segment.line, `the ${segment.label} is empty`);
  return { file, segment, doc, lines, value };
}

/** Validates `data` (the block's value or a part of it at `prefix`) against `schema`, or throws every problem. */
export function validateBlock<S extends z.ZodType>(block: BlockYaml, schema: S, data: unknown, prefix: ReadonlyArray<string | number> = []): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw new ScenarioError(
    convertIssues(result.error.issues, schema, data).map((raw): ScenarioIssue => {
      const path = [...prefix, ...raw.path];
      const pos = locate(block.doc, block.lines, path, raw.atKey);
      const issue: ScenarioIssue = {
        file: block.file,
        line: pos.line + block.segment.contentLine - 1,
        column: pos.column,
        path: path.join("."),
        message: raw.message,
        expected: raw.expected,
      };
      if (raw.didYouMean !== undefined) issue.didYouMean = raw.didYouMean;
      return issue;
    }),
  );
}
