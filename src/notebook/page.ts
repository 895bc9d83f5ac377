// The notebook page: one self-contained HTML file that opens offline and prints. No scripts, no external fonts,
// images or stylesheets: charts are inline SVG and the styling is this one <style> block. Nothing on the page
// depends on the time or the machine, so the same notebook renders to the same bytes.
import { htmlHead } from "../report/html-page.js";
import { escapeHtml as e } from "../report/html-escape.js";
import type { FrontMatter } from "./front-matter.js";

const STYLE = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6474; --line: #dfe3ea; --bg: #f7f8fa; --accent: #2f5fa7; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 16px/1.6 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
main { max-width: 860px; margin: 0 auto; padding: 28px 32px 56px; background: #fff; min-height: 100vh; }
h1 { font-size: 1.8em; line-height: 1.25; margin: 0.2em 0 0.3em; }
h2 { font-size: 1.3em; margin: 1.8em 0 0.5em; padding-bottom: 0.2em; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.08em; margin: 1.3em 0 0.4em; }
a { color: var(--accent); }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.88em; }
:not(pre) > code { background: #f1f3f6; border-radius: 4px; padding: 0 4px; }
pre { background: #f1f3f6; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; overflow-x: auto; line-height: 1.45; }
blockquote { margin: 1em 0; padding: 0.1em 1em; border-left: 4px solid var(--line); color: #39414f; }
aside { margin: 1.2em 0; padding: 0.3em 1.1em; border-radius: 8px; }
aside.predict { background: #fff6dd; border: 1px solid #f0d58a; border-left: 6px solid #e0a800; }
aside.try { background: #e9f4ec; border: 1px solid #b9dcc2; border-left: 6px solid #3c8d52; }
.question { font-size: 1.12em; margin: 0.6em 0 1em; padding: 0.6em 1em; background: #eef3fb; border-left: 6px solid var(--accent); border-radius: 6px; }
.question .label { display: block; font-size: 0.75em; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); }
.tags { color: var(--muted); font-size: 0.85em; }
.tags span { display: inline-block; margin-right: 6px; padding: 0 8px; border: 1px solid var(--line); border-radius: 10px; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
th, td { padding: 4px 12px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #c5ccd8; font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.cause th { padding-left: 26px; font-weight: normal; color: var(--muted); }
section.run { margin: 1.4em 0; padding: 10px 16px 4px; border: 1px solid var(--line); border-radius: 8px; background: #fbfcfd; }
.run-head { margin: 0 0 0.4em; font-size: 0.92em; }
.badge { display: inline-block; padding: 0 8px; border-radius: 4px; background: var(--accent); color: #fff; font-size: 0.85em; font-weight: 600; }
ul.variants { font-size: 0.88em; color: var(--muted); padding-left: 1.2em; margin: 0.3em 0; }
pre.command { background: #1d2330; color: #e8ecf3; border: 0; }
details { margin: 0.5em 0; font-size: 0.92em; }
.value { font-weight: 600; font-variant-numeric: tabular-nums; border-bottom: 1px dotted var(--accent); }
ul.expect { list-style: none; padding: 0; margin: 1em 0; }
ul.expect li { margin: 0.25em 0; padding: 4px 10px; border-radius: 6px; }
ul.expect li.pass { background: #e3f4e1; }
ul.expect li.fail { background: #fbe3e3; }
ul.expect .mark { font-weight: 700; }
ul.expect li.pass .mark { color: #25632a; }
ul.expect li.fail .mark { color: #a12222; }
ul.expect .actual { color: var(--muted); font-size: 0.9em; }
figure.chart { margin: 1.2em 0 1.8em; }
figure.chart .svg { overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 0.88em; }
figure.skipped { padding: 8px 14px; border: 1px dashed var(--line); border-radius: 6px; }
footer { margin-top: 3em; color: var(--muted); font-size: 0.85em; border-top: 1px solid var(--line); padding-top: 0.8em; }
@media print { body { background: #fff; } main { padding: 0; } figure.chart, section.run { break-inside: avoid; } }
`;

export interface PageInput {
  front: FrontMatter;
  /** The rendered body, in document order. */
  body: string;
  /** The notebook's path as the reader would type it. */
  source: string;
  version: string;
  passed: number;
  total: number;
}

export function renderPage(input: PageInput): string {
  const { front } = input;
  const tags = front.tags === undefined || front.tags.length === 0 ? "" : `<p class="tags">${front.tags.map((t) => `<span>${e(t)}</span>`).join("")}</p>\n`;
  const claims = input.total === 0 ? "It states no checked claims." : `${input.passed} of ${input.total} checked claims hold.`;
  return `${htmlHead(`${front.title} · lbsim notebook`, input.version, STYLE)}
<main>
<p class="tags"><a href="index.html">All notebooks</a></p>
<h1>${e(front.title)}</h1>
<p class="question"><span class="label">The question</span>${e(front.question)}</p>
${tags}${input.body}
<footer>Generated by lbsim ${e(input.version)} from <code>${e(input.source)}</code>. Every number on this page comes from the runs shown; ${claims} Run <code>lbsim notebook ${e(input.source)}</code> to reproduce it byte for byte.</footer>
</main>
</body>
</html>
`;
}

export { STYLE as NOTEBOOK_STYLE };
