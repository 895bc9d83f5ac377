// Proves index.html shows every section the brief asks for, is self-contained (no scripts, no external resources),
// escapes every scenario-supplied string (including inside vega's SVG), and notes skipped charts instead of failing.
import { describe, expect, it } from "vitest";
import { REPORT_CHARTS } from "../../src/report/charts.js";
import type { PageChart } from "../../src/report/html-sections.js";
import { renderHtml } from "../../src/report/html-page.js";
import type { ScenarioReport } from "../../src/report/report-data.js";
import { renderSvg, scopeSvgIds } from "../../src/report/render-svg.js";
import { buildEmptyReport, buildFixtureReport } from "./fixture.js";

const HOSTILE = "<script>alert(1)</script>";

async function pageFor(report: ScenarioReport): Promise<string> {
  const charts: PageChart[] = [];
  for (const chart of REPORT_CHARTS) {
    const svg = chart.hasData(report) ? scopeSvgIds(await renderSvg(chart.spec(report)), chart.id) : null;
    charts.push({ id: chart.id, title: chart.title, caption: chart.caption, emptyNote: chart.emptyNote, svg });
  }
  return renderHtml(report, charts);
}

/** The names of every attribute of every tag, reading quoted values as values (as a browser does). */
function attributeNames(html: string): string[] {
  const names: string[] = [];
  for (const tag of html.matchAll(/<[a-zA-Z][\w:-]*((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    for (const attribute of tag[1]!.matchAll(/\s+([\w:-]+)(?:="[^"]*")?/g)) names.push(attribute[1]!.toLowerCase());
  }
  return names;
}

function hostileReport(): ScenarioReport {
  const report = buildFixtureReport({
    name: HOSTILE,
    title: `Title ${HOSTILE}`,
    description: `Description <img src=x onerror=alert(2)> & "quotes"`,
    variants: [`rr ${HOSTILE}`, `lc <b onmouseover="x">`],
    backends: [`api-1 ${HOSTILE}`, 'api-2" onmouseover="alert(3)', 'api-3 "quoted", with comma', "api-4 </svg><script>"],
    nodes: [`lb ${HOSTILE}`, "lb-b"],
    windows: 150,
  });
  report.command = `lbsim run '${HOSTILE}' --seed 42`;
  report.verdicts = [`verdict ${HOSTILE}`];
  report.expectations[0]!.text = `expect ${HOSTILE}`;
  report.comparison[0]!.metric = `metric ${HOSTILE}`;
  report.variants[0]!.series.markers.push({ backend: "api-4 </svg><script>", kind: `kind ${HOSTILE}`, atMs: 5000 });
  report.variants[0]!.series.health.push({ node: "lb-b", backend: "api-4 </svg><script>", state: `state ${HOSTILE}`, fromMs: 0, toMs: 1000 });
  return report;
}

describe("index.html content", () => {
  it("shows title, description, the command, summary, expectations, comparison, verdicts and every chart", async () => {
    const report = buildFixtureReport({ windows: 150 });
    const html = await pageFor(report);
    expect(html).toContain("<h1>Health check black hole</h1>");
    expect(html).toContain("<p>A backend hangs at 120 s but keeps its listen socket open.</p>");
    expect(html).toContain(`<pre><code>${report.command}</code></pre>`);
    for (const heading of ["Summary", "Expectations", "Comparison", "Charts", "Verdicts"]) expect(html).toContain(`>${heading}</h`);
    for (const label of ["sent", "ok", "lost", "upstream-timeout", "queue-full", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "retries", "duplicates"]) {
      expect(html).toContain(`>${label}</th>`);
    }
    expect(html).toContain('<span class="fail">fail</span>');
    expect(html).toContain('<span class="pass">pass</span>');
    expect(html).toContain("95% CI");
    expect(html).toMatch(/\[\d[\d.,]*, \d[\d.,]*\]/); // a CI cell
    expect(html).toContain("least-connections beats round-robin on p99Ms (95% CI)");
    expect((html.match(/<svg /g) ?? []).length).toBe(REPORT_CHARTS.length);
  });

  it("is self-contained: no scripts, no external stylesheets, fonts or images", async () => {
    const html = await pageFor(buildFixtureReport({ windows: 60 }));
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/@import|@font-face/i);
    expect(html).not.toMatch(/\bsrc=/i);
    // The only absolute URLs are XML namespace names, which browsers never fetch.
    const urls = html.match(/https?:\/\/[^"'\s)]+/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(["http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"]));
  });

  it("has unique element ids across the inlined SVGs", async () => {
    const html = await pageFor(buildFixtureReport({ windows: 60 }));
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((match) => match[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("escapes hostile scenario strings everywhere, including the SVG text vega writes", async () => {
    const html = await pageFor(hostileReport());
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b ");
    // A quote in a name cannot close an attribute (vega's aria-labels) and add a handler to any tag; as element text
    // the quote is harmless and vega leaves it as it is.
    expect(attributeNames(html)).toContain("aria-label"); // the reader does see vega's attributes
    expect(attributeNames(html).filter((name) => name.startsWith("on"))).toEqual([]);
    expect(html).toContain("api-2&quot; onmouseover=&quot;alert(3)");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("Title &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("<title>Title &lt;script&gt;");
    // Vega's own text (legend labels, facet headers) is escaped too: the backend name shows up escaped in an SVG.
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs.some((svg) => svg.includes("api-1 &lt;script&gt;"))).toBe(true);
    expect((html.match(/<\/svg>/g) ?? []).length).toBe((html.match(/<svg /g) ?? []).length);
  });

  it("notes each chart it skips for lack of data", async () => {
    const html = await pageFor(buildEmptyReport());
    expect(html).not.toContain("<svg");
    for (const chart of REPORT_CHARTS) expect(html).toContain(`Not drawn: ${chart.emptyNote.replace(/"/g, "&quot;")}`);
    expect(html).toContain("The scenario states no expectations.");
    expect(html).toContain("This report has no multi-seed comparison.");
  });
});
