// How a ```lbsim block reads on the page: a compact table with the variants as columns (sent, lost, the largest
// loss causes, p50 and p99), what each variant is, and the command that reproduces the numbers.
import { playgroundUrl, type ShareState } from "../report/playground-link.js";
import { escapeHtml as e } from "../report/html-escape.js";
import { summaryRows } from "../report/summary-rows.js";
import type { NotebookRun } from "./run-results.js";

/** Rows that say nothing in a lesson (all zero) are left out; "ok" is sent minus lost and adds no information. */
const DROP_WHEN_ZERO = new Set(["balancer retries", "client retries", "hedges", "duplicates"]);

export function runHtml(run: NotebookRun): string {
  const summaries = run.report.variants.map((v) => v.summary);
  const rows = summaryRows(summaries, { maxCauses: 3, compact: true }).filter(
    (row) => row.label !== "ok" && !(DROP_WHEN_ZERO.has(row.label) && row.cells.every((cell) => cell === "0")),
  );
  const head = `<tr><th scope="col"></th>${summaries.map((s) => `<th scope="col" class="num">${e(s.variant)}</th>`).join("")}</tr>`;
  const body = rows
    .map((row) => `<tr${row.cause ? ' class="cause"' : ""}><th scope="row">${e(row.label)}</th>${row.cells.map((cell) => `<td class="num">${e(cell)}</td>`).join("")}</tr>`)
    .join("\n");
  const { scenario } = run.report;
  const source = run.inlineYaml === null ? `<code>${e(scenario.file)}</code>` : "inline scenario";
  const described = summaries.filter((s) => (run.descriptions.get(s.variant) ?? "") !== "");
  const legend =
    described.length === 0
      ? ""
      : `<ul class="variants">${described.map((s) => `<li><code>${e(s.variant)}</code>: ${e(run.descriptions.get(s.variant)!)}</li>`).join("")}</ul>\n`;
  const inline =
    run.inlineYaml === null ? "" : `<details><summary>The inline scenario</summary><pre><code class="language-yaml">${e(run.inlineYaml)}</code></pre></details>\n`;
  return `<section class="run" id="run-${e(run.name)}">
<p class="run-head"><span class="badge">run ${e(run.name)}</span> <strong>${e(scenario.title)}</strong> · ${source} · seed <code>${e(run.report.seed)}</code></p>
<table class="results"><thead>${head}</thead><tbody>
${body}
</tbody></table>
${legend}${inline}<pre class="command"><code>$ ${e(run.report.command)}</code></pre>
<p class="note">Try it in the playground: run <code>lbsim playground</code>, then open <a href="${e(playgroundUrl(playgroundState(run)))}">this scenario there</a>, edit it and run it again.</p>
</section>`;
}

/** A library scenario by its name; an inline one by its text. */
function playgroundState(run: NotebookRun): ShareState {
  const seed = run.report.seed;
  if (run.inlineYaml !== null) return { name: run.report.scenario.name, text: run.inlineYaml, seed };
  const name = run.report.scenario.file.replace(/^.*\//, "").replace(/\.ya?ml$/, "");
  return { scenario: name, seed };
}
