// An ```expect block on the page: one line per claim, ✓ or ✗, with the value the run produced.
import { formatValue } from "../report/format.js";
import { escapeHtml as e } from "../report/html-escape.js";
import type { NotebookExpectation } from "./expect-block.js";

export function expectHtml(results: readonly NotebookExpectation[]): string {
  const items = results.map((r) => {
    const mark = r.passed ? '<span class="mark" aria-label="holds">✓</span>' : '<span class="mark" aria-label="fails">✗</span>';
    return `<li class="${r.passed ? "pass" : "fail"}">${mark} <code>${e(`${r.run} · ${r.variant}: ${r.text}`)}</code> <span class="actual">actual ${e(formatValue(r.actual))}</span></li>`;
  });
  return `<ul class="expect">\n${items.join("\n")}\n</ul>`;
}
