// A notebook from Markdown to a page: split it, run its ```lbsim blocks, check every reference, chart and claim,
// render, and write `<outDir>/<name>.html` atomically. Every check happens before the first chart is drawn and
// before anything is written, so a notebook with a mistake leaves the previous page untouched.
import { readFile, stat } from "node:fs/promises";
import { basename, extname, join, relative, resolve } from "node:path";
import type { RunMemo } from "../lab/run-memo.js";
import { LBSIM_VERSION } from "../lab/run-plan.js";
import { initHistograms } from "../metrics/histogram.js";
import { writeFileAtomic } from "../report/atomic-write.js";
import { replaceDirectory } from "../report/replace-directory.js";
import { ScenarioError } from "../scenario/errors/scenario-error.js";
import { MAX_FILE_BYTES } from "../scenario/schema/bounds.js";
import { planChart, renderChartHtml, type ChartPlan } from "./chart-block.js";
import { evaluateExpectBlock, type NotebookExpectation } from "./expect-block.js";
import { expectHtml } from "./expect-html.js";
import { parseFrontMatter, type FrontMatter } from "./front-matter.js";
import { extractValues, insertValues, type ResolvedValue } from "./inline-values.js";
import { renderMarkdown, type HeadingIds } from "./markdown.js";
import { notebookError } from "./notebook-error.js";
import { renderPage } from "./page.js";
import { executeRunBlock } from "./run-block.js";
import { runHtml } from "./run-html.js";
import type { NotebookRun } from "./run-results.js";
import { splitNotebook } from "./split-notebook.js";

export const DEFAULT_NOTEBOOK_DIR = join("reports", "notebooks");

export interface NotebookOptions {
  /** Where the page goes; default reports/notebooks. */
  outDir?: string;
}

export interface RenderedNotebook {
  /** File stem: notebooks/black-hole.md -> black-hole. */
  name: string;
  front: FrontMatter;
  html: string;
  /** True when every claim in the ```expect blocks holds. */
  passed: boolean;
  expectations: NotebookExpectation[];
}

export interface NotebookResult extends RenderedNotebook {
  /** The page written. */
  path: string;
}

export async function runNotebook(file: string, options: NotebookOptions = {}): Promise<NotebookResult> {
  const rendered = await renderNotebook(file);
  const outDir = options.outDir ?? DEFAULT_NOTEBOOK_DIR;
  await writeNotebookPages(outDir, [{ file: `${rendered.name}.html`, html: rendered.html }]);
  return { ...rendered, path: notebookPagePath(outDir, rendered.name) };
}

export const notebookPagePath = (outDir: string, name: string): string => join(outDir, `${name}.html`);

/**
 * Puts pages (and the index) into the output folder all at once: the folder is copied to a staging folder, the
 * pages written there, and the two swapped (replace-directory.ts), so a run killed half way leaves the earlier
 * pages and index together, never this run's pages beside an earlier index. Pages of other notebooks stay.
 */
export async function writeNotebookPages(outDir: string, pages: ReadonlyArray<{ file: string; html: string }>): Promise<void> {
  await replaceDirectory(outDir, async (staging) => {
    for (const page of pages) await writeFileAtomic(join(staging, page.file), page.html);
  }, { keepExisting: true });
}

/** Everything but the write: the page in memory. Runs come from `memo` where an earlier notebook ran the same. */
export async function renderNotebook(file: string, memo?: RunMemo): Promise<RenderedNotebook> {
  const source = relative(process.cwd(), resolve(file)) || file;
  let text: string;
  try {
    const bytes = (await stat(file)).size;
    if (bytes > MAX_FILE_BYTES) throw notebookError(source, 0, `expected a notebook of at most 1 MB, ${MAX_FILE_BYTES.toLocaleString("en-US")} bytes (a lesson is a few KB), got ${bytes.toLocaleString("en-US")} bytes`);
    text = await readFile(file, "utf8");
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    throw notebookError(source, 0, `cannot read the notebook: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const { frontMatter, segments } = splitNotebook(text, source);
  const front = parseFrontMatter(frontMatter.text, frontMatter.line, source);

  await initHistograms();
  const runs = new Map<string, NotebookRun>();
  for (const segment of segments) {
    if (segment.kind !== "lbsim") continue;
    const run = executeRunBlock(segment, source, memo);
    const earlier = runs.get(run.name);
    if (earlier !== undefined) throw notebookError(source, segment.line, `a run named "${run.name}" already exists (line ${earlier.line})`);
    runs.set(run.name, run);
  }

  // Check and lay out everything first (synchronous, cheap); charts are rendered last, one at a time.
  const parts: Array<string | ChartPlan> = [];
  const expectations: NotebookExpectation[] = [];
  const ids: HeadingIds = new Map();
  let charts = 0;
  for (const segment of segments) {
    if (segment.kind === "prose") {
      const values: ResolvedValue[] = [];
      const marked = extractValues(segment.text, segment.line, source, runs, values);
      parts.push(insertValues(renderMarkdown(marked, ids), values));
    } else if (segment.kind === "lbsim") {
      parts.push(runHtml([...runs.values()].find((run) => run.line === segment.line)!));
    } else if (segment.kind === "chart") {
      parts.push(planChart(segment, source, runs, ++charts));
    } else {
      const results = evaluateExpectBlock(segment, source, runs);
      expectations.push(...results);
      parts.push(expectHtml(results));
    }
  }
  const body: string[] = [];
  for (const part of parts) body.push(typeof part === "string" ? part : await renderChartHtml(part));

  const passed = expectations.filter((x) => x.passed).length;
  const html = renderPage({ front, body: body.join("\n"), source, version: LBSIM_VERSION, passed, total: expectations.length });
  return { name: basename(file, extname(file)), front, html, passed: passed === expectations.length, expectations };
}
