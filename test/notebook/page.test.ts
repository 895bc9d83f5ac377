// Proves the page is safe and reproducible: a hostile title renders as text, the page is self-contained (no
// scripts, no external resources), the same notebook renders to byte-identical HTML twice, a chart block inlines
// an SVG, and a failing expect block makes the notebook fail while still rendering the ✗ line.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderNotebook, runNotebook } from "../../src/notebook/index.js";
import { notebookText, tinyBlock, writeNotebook } from "./helpers.js";

const BODY = `> **Predict:** which is faster?

${tinyBlock()}

Round robin lost {{ t.rr.requests.lostFraction | percent }}.

\`\`\`chart
{ from: t, chart: latency-cdf }
\`\`\`

\`\`\`expect
- { run: t, variant: lc, metric: latencyMs.p99, below: 10s }
\`\`\``;

describe("the notebook page", () => {
  it("escapes a hostile title and question, and has no script or external resource", async () => {
    const file = writeNotebook(notebookText(BODY, "<script>alert(1)</script>", 'Is "a" < b & c?'));
    const { html, front } = await renderNotebook(file);
    expect(front.title).toBe("<script>alert(1)</script>");
    expect(html).toContain("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>");
    expect(html).toContain("Is &quot;a&quot; &lt; b &amp; c?");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\ssrc="(https?:)?\/\//i);
    // The only absolute links are to the playground on this machine (a link a reader follows, nothing loaded).
    const absolute = [...html.matchAll(/\shref="((?:https?:)?\/\/[^"]*)"/gi)].map((m) => m[1]!);
    expect(absolute.every((href) => href.startsWith("http://127.0.0.1:7357/#"))).toBe(true);
    expect(html).not.toMatch(/<link|@import|url\(http/i);
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html).toMatch(/<figure class="chart"><div class="svg"><svg /);
    expect(html).toContain('<aside class="predict">');
  });

  it("renders byte-identical HTML twice and writes it atomically to <out>/<name>.html", async () => {
    const file = writeNotebook(notebookText(BODY), "twice.md");
    const outDir = join(dirname(file), "out");
    const first = await runNotebook(file, { outDir });
    const second = await runNotebook(file, { outDir });
    expect(first.path).toBe(join(outDir, "twice.html"));
    expect(second.html).toBe(first.html);
    expect(readFileSync(first.path, "utf8")).toBe(first.html);
    expect(first.passed).toBe(true);
    expect(first.expectations).toHaveLength(1);
  });

  it("a claim that does not hold fails the notebook and shows ✗", async () => {
    const failing = BODY.replace("below: 10s", "below: 1ms");
    const result = await renderNotebook(writeNotebook(notebookText(failing)));
    expect(result.passed).toBe(false);
    expect(result.expectations[0]).toMatchObject({ run: "t", variant: "lc", passed: false });
    expect(result.html).toContain('<li class="fail"><span class="mark" aria-label="fails">✗</span>');
  });
});
