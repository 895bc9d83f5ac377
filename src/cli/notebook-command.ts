// `lbsim notebook`: render teaching notebooks (notebooks/*.md) to self-contained HTML pages and an index. Each
// notebook runs its scenarios, so the numbers in its prose are the numbers the simulator produces today; a claim
// in an ```expect block that no longer holds fails the command (exit 1), which is how CI keeps lessons true.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { LBSIM_VERSION } from "../lab/run-plan.js";
import { RunMemo } from "../lab/run-memo.js";
import { DEFAULT_NOTEBOOK_DIR, notebookPagePath, renderNotebook, renderNotebookIndex, writeNotebookPages, type IndexEntry } from "../notebook/index.js";
import { ScenarioError } from "../scenario/errors/scenario-error.js";
import { EXIT, UsageError } from "./exit-codes.js";
import { checkOutDir } from "./out-dir.js";

interface NotebookCommandOptions {
  all?: boolean;
  out: string;
}

/** The notebooks folder `--all` reads, relative to where lbsim runs (the project root). */
export const NOTEBOOKS_DIR = "notebooks";

export function registerNotebook(program: Command): void {
  program
    .command("notebook")
    .description("run teaching notebooks (Markdown with lbsim, chart and expect blocks) and render them to HTML")
    .argument("[files...]", "notebook files (.md)")
    .option("--all", `every ${NOTEBOOKS_DIR}/*.md`)
    .option("--out <dir>", "where the pages and index.html go", DEFAULT_NOTEBOOK_DIR)
    .addHelpText("after", `
Examples:
  lbsim notebook notebooks/black-hole.md
  lbsim notebook --all --out reports/notebooks

Exit codes: 0 ok, 1 a claim in an expect block failed, 2 bad input (the message names the file and line).`)
    .action(async (files: string[], options: NotebookCommandOptions) => {
      await checkOutDir(options.out);
      const targets = notebookFiles(files, options.all === true);
      const entries: IndexEntry[] = [];
      const pages: Array<{ file: string; html: string }> = [];
      let bad = false;
      let failed = false;
      // Lessons that run the same scenario the same way share one run (src/lab/run-memo.ts).
      const memo = new RunMemo();
      for (const file of targets) {
        try {
          const rendered = await renderNotebook(file, memo);
          pages.push({ file: `${rendered.name}.html`, html: rendered.html });
          const result = { ...rendered, path: notebookPagePath(options.out, rendered.name) };
          const held = result.expectations.filter((x) => x.passed).length;
          const total = result.expectations.length;
          console.log(`${result.passed ? "ok  " : "FAIL"} ${result.path} (${held} of ${total} claims hold)`);
          for (const x of result.expectations.filter((r) => !r.passed)) console.log(`     ${file}:${x.line}: ${x.run} · ${x.variant}: ${x.text}, actual ${x.actual}`);
          failed ||= !result.passed;
          const { title, question, tags } = result.front;
          entries.push({ name: result.name, title, question, tags: tags ?? [], passed: result.passed, claims: total });
        } catch (error) {
          if (!(error instanceof ScenarioError)) throw error;
          bad = true;
          console.error(error.format());
        }
      }
      if (entries.length > 0) {
        // Every page and the index land together, or none does (writeNotebookPages).
        pages.push({ file: "index.html", html: renderNotebookIndex(entries, LBSIM_VERSION) });
        await writeNotebookPages(options.out, pages);
        console.log(`index ${join(options.out, "index.html")}`);
      }
      if (bad) process.exitCode = EXIT.badInput;
      else if (failed) process.exitCode = EXIT.expectationFailed;
    });
}

function notebookFiles(files: readonly string[], all: boolean): string[] {
  if (all) {
    if (!existsSync(NOTEBOOKS_DIR)) throw new UsageError(`no ${NOTEBOOKS_DIR}/ folder here; run lbsim from the project root`);
    const found = readdirSync(NOTEBOOKS_DIR).filter((name) => name.endsWith(".md") && name !== "README.md").sort();
    return [...files, ...found.map((name) => join(NOTEBOOKS_DIR, name))];
  }
  if (files.length === 0) throw new UsageError("name notebook files, or pass --all");
  return [...files];
}
