// Proves the Markdown subset renders what the lessons use (headings, lists, tables, code, quotes, the Predict and
// Try-this boxes) and that nothing from a notebook can inject markup: raw HTML and javascript: links stay text.
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/notebook/markdown.js";

describe("renderMarkdown", () => {
  it("renders headings with ids, emphasis, code and links", () => {
    expect(renderMarkdown("## Why *it* fails\n\nUse `inter 2s`, **not** [TCP](https://example.com/a?b=1&c=2).")).toBe(
      '<h2 id="why-it-fails">Why <em>it</em> fails</h2>\n<p>Use <code>inter 2s</code>, <strong>not</strong> <a href="https://example.com/a?b=1&amp;c=2">TCP</a>.</p>',
    );
  });

  it("renders lists, nested lists, tables and fenced code", () => {
    const html = renderMarkdown("- a\n- b\n  - c\n\n1. one\n2. two\n\n| x | y |\n|---|--:|\n| 1 | 2 |\n\n```nginx\nleast_conn;\n```");
    expect(html).toContain("<ul>\n<li>a</li>\n<li>b\n<ul>\n<li>c</li>\n</ul></li>\n</ul>");
    expect(html).toContain("<ol>\n<li>one</li>\n<li>two</li>\n</ol>");
    expect(html).toContain('<th style="text-align:right">y</th>');
    expect(html).toContain('<pre><code class="language-nginx">least_conn;</code></pre>');
  });

  it("turns a **Predict:** quote into the predict box and **Try this:** into the exercise box", () => {
    expect(renderMarkdown("> **Predict:** how many?")).toBe('<aside class="predict">\n<p><strong>Predict:</strong> how many?</p>\n</aside>');
    expect(renderMarkdown("> **Try this:** set it")).toContain('<aside class="try">');
    expect(renderMarkdown("> plain")).toContain("<blockquote>");
  });

  it("escapes raw HTML and drops unsafe link targets", () => {
    const html = renderMarkdown('<script>alert(1)</script> <img src=x onerror="y">\n\n[click](javascript:alert(1))');
    expect(html).not.toMatch(/<script|<img|href="javascript/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("[click](javascript:alert(1))");
  });
});
