// Proves the conformance report draws the real run and lbsim's prediction on the same axes (both sides in every
// chart's data), renders without a vega warning, and writes an index and one escaped page per case.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { healthSpec, latencySpec, lossSpec } from "../../src/conform/conform-charts.js";
import { writeConformReport } from "../../src/conform/conform-report.js";
import { suiteJson } from "../../src/conform/format-run.js";
import type { Measured } from "../../src/conform/measure.js";
import type { CaseRun } from "../../src/conform/run-case.js";
import { renderSvg } from "../../src/report/render-svg.js";

const measured = (lost: number, downAt: number): Measured => ({
  sent: 100, ok: 100 - lost, lost, unfinished: 0, lostFraction: lost / 100, outcomes: { ok: 100 - lost, "upstream-timeout": lost },
  p50Ms: 20, p99Ms: 80, attempts: { "app-1": 50, "app-2": 50 }, shares: { "app-1": 0.5, "app-2": 0.5 },
  health: [{ atMs: downAt, backend: "app-1", state: "down", reason: "" }],
  windows: [{ startMs: 0, sent: 50, ok: 50, lost: 0, p50Ms: 20, p99Ms: 70 }, { startMs: 1000, sent: 50, ok: 50 - lost, lost, p50Ms: 21, p99Ms: 90 }],
});

const RUN: CaseRun = {
  name: "case-<one>", proxy: "haproxy", proxyVersion: "2.6.12", status: "failed", passed: false, runs: 2, busy: false, loadAverageMax: 1.5, note: "", about: "a <b>test</b> case",
  metrics: [{ name: "lost fraction", real: 0.1, simulated: 0.2, tolerance: 0.05, passed: false, unit: "fraction" }],
  real: measured(10, 1_500), simulated: measured(20, 1_400), latenessUs: { p50: 100, p99: 900, max: 2_000 }, wallMs: 21_000, checkIntervalMs: 1_000, notExpressible: [],
};

describe("conformance report", () => {
  it("puts both sides in every chart and renders without warnings", async () => {
    for (const spec of [lossSpec(RUN), latencySpec(RUN), healthSpec(RUN)]) {
      const values = (spec as { data: { values: Array<{ side: string }> } }).data.values;
      expect(new Set(values.map((v) => v.side))).toEqual(new Set(["real", "lbsim"]));
      const warnings: string[] = [];
      expect(await renderSvg(spec, warnings)).toContain("<svg");
      expect(warnings).toEqual([]);
    }
  });

  it("labels the loss chart's axis in whole requests, also when nothing was lost", async () => {
    // Both sides lost nothing: the y domain is [0, 0], and its one tick must read as a count, "0" (it read
    // 0.000000). With 0, 10 and 20 lost, every tick is a whole number of requests (tickMinStep 1, format ",d").
    const yLabels = async (run: CaseRun): Promise<string[]> => {
      const svg = await renderSvg(lossSpec(run));
      const title = svg.indexOf(">lost per second<");
      return [...svg.slice(svg.lastIndexOf("role-axis-label", title), title).matchAll(/>([^<>]+)<\/text>/g)].map((t) => t[1]!);
    };
    expect(await yLabels({ ...RUN, real: measured(0, 1_500), simulated: measured(0, 1_400) })).toEqual(["0"]);
    const some = await yLabels(RUN);
    expect(some.length).toBeGreaterThanOrEqual(3);
    expect(some.filter((label) => !/^\d[\d,]*$/.test(label))).toEqual([]);
  });

  it("writes an index and an escaped page per case", async () => {
    const dir = mkdtempSync(join(tmpdir(), "conform-report-"));
    try {
      const index = await writeConformReport([RUN], dir);
      expect(readFileSync(index, "utf8")).toContain('href="case-&lt;one&gt;.html"');
      const page = readFileSync(join(dir, "case-<one>.html"), "utf8");
      expect(page).toContain("a &lt;b&gt;test&lt;/b&gt; case");
      expect(page).not.toContain("<b>test</b>");
      expect(page.match(/<svg/g)?.length).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("prints the suite JSON in issue 17's shape, with the rerun recorded", () => {
    const doc = suiteJson([RUN]) as { cases: Array<Record<string, unknown>> };
    expect(doc.cases[0]).toMatchObject({ name: "case-<one>", proxy: "haproxy", proxyVersion: "2.6.12", passed: false, runs: 2, rerun: true });
    expect(doc.cases[0]!.metrics).toEqual([{ name: "lost fraction", real: 0.1, simulated: 0.2, tolerance: 0.05, passed: false }]);
  });
});
