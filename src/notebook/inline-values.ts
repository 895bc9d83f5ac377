// Numbers in the prose come from the runs, never from the author's keyboard: `{{ bh.tcp.requests.lostFraction |
// percent }}` is replaced by what run `bh`, variant `tcp`, produced. A reference is `run.variant.metric`, the
// metric being any name an `expect:` line accepts. Values are swapped for placeholders before the Markdown is
// rendered and put back after, so a value is never parsed as Markdown and can be marked up as a value.
import { escapeHtml } from "../report/html-escape.js";
import { metricValue } from "../scenario/metric-path.js";
import { notebookError } from "./notebook-error.js";
import { checkMetric, findRun, findSummary, type Runs } from "./run-results.js";
import { FORMATTER_NAMES, FORMATTERS } from "./value-format.js";

export interface ResolvedValue {
  /** The reference as written, e.g. "bh.tcp.requests.lostFraction". */
  ref: string;
  value: number;
  text: string;
}

const REFERENCE = /\{\{([\s\S]*?)\}\}/g;
// Private-use characters never typed in prose: they mark where value i goes.
const OPEN = "\uE000";
const CLOSE = "\uE001";

/** Replaces every `{{ }}` in `text` (starting at notebook line `line`) by a placeholder; returns the values. */
export function extractValues(text: string, line: number, file: string, runs: Runs, values: ResolvedValue[]): string {
  return text.replace(REFERENCE, (_, inner: string, offset: number) => {
    const at = { file, line: line + countNewlines(text.slice(0, offset)) };
    values.push(resolveValue(inner, at.file, at.line, runs));
    return `${OPEN}${values.length - 1}${CLOSE}`;
  });
}

export function resolveValue(inner: string, file: string, line: number, runs: Runs): ResolvedValue {
  const [refPart, formatPart, ...extra] = inner.split("|").map((part) => part.trim());
  const ref = refPart ?? "";
  const format = formatPart ?? "none";
  if (extra.length > 0) throw notebookError(file, line, `expected {{ run.variant.metric | format }} with one format, got "{{${inner}}}"`);
  const formatter = FORMATTERS[format];
  if (formatter === undefined) throw notebookError(file, line, `unknown format "${format}" in {{${inner}}} (formats: ${FORMATTER_NAMES.join(", ")})`);
  const parts = ref.split(".");
  if (parts.length < 3 || parts.some((part) => part === "")) {
    throw notebookError(file, line, `expected a reference run.variant.metric such as bh.tcp.requests.lostFraction, got "${ref}"`);
  }
  const [runName, variant] = parts as [string, string];
  const metric = parts.slice(2).join(".");
  const run = findRun(runs, runName, { file, line });
  const summary = findSummary(run, variant, { file, line });
  checkMetric(run, metric, { file, line });
  const value = metricValue(summary, metric);
  return { ref, value, text: formatter(value) };
}

/** Puts the values back into rendered HTML, each marked as a value with the reference it came from. */
export function insertValues(html: string, values: readonly ResolvedValue[]): string {
  return html.replace(new RegExp(`${OPEN}(\\d+)${CLOSE}`, "g"), (_, index: string) => {
    const value = values[Number(index)]!;
    return `<span class="value" title="${escapeHtml(value.ref)}">${escapeHtml(value.text)}</span>`;
  });
}

function countNewlines(text: string): number {
  let count = 0;
  for (const char of text) if (char === "\n") count++;
  return count;
}
