// Proves prose values are replaced by what the run produced, with every formatter, and that every mistake a
// notebook can make (bad block YAML, unknown run, variant, metric, format or chart) is a ScenarioError naming the
// notebook file and line, which the CLI prints without a stack trace and with exit code 2.
import { describe, expect, it } from "vitest";
import { renderNotebook } from "../../src/notebook/index.js";
import { ScenarioError } from "../../src/scenario/errors/scenario-error.js";
import { formatCount, formatMs, formatPercent, formatValue } from "../../src/report/format.js";
import { FORMATTERS } from "../../src/notebook/value-format.js";
import { notebookText, tinyBlock, writeNotebook } from "./helpers.js";

async function errorOf(body: string): Promise<string> {
  const file = writeNotebook(notebookText(body));
  try {
    await renderNotebook(file);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).format().replace(/[^\s:]*lesson\.md/g, "FILE");
  }
  throw new Error("expected the notebook to fail");
}

// Front matter is lines 1-4, then a blank line 5: the body starts at line 6 and tinyBlock spans 6-31.
const BLOCK_LINES = tinyBlock().split("\n").length;
const AFTER = 6 + BLOCK_LINES;

describe("inline values", () => {
  it("replaces each {{ }} by the run's number, in every format", async () => {
    const body = `${tinyBlock()}\nA {{ t.rr.requests.sent }} B {{ t.rr.requests.lostFraction | percent }} C {{ t.lc.latencyMs.p99 | ms }} D {{ t.lc.requests.ok | int }} E {{ t.rr.latencyMs.mean | fixed1 }} F {{ t.rr.latencyMs.mean | fixed2 }} G {{ t.rr.backends.app-2.requests }}`;
    const { html } = await renderNotebook(writeNotebook(notebookText(body)));
    const values = [...html.matchAll(/<span class="value" title="([^"]+)">([^<]*)<\/span>/g)].map((m) => [m[1], m[2]]);
    expect(values.map((v) => v[0])).toEqual([
      "t.rr.requests.sent", "t.rr.requests.lostFraction", "t.lc.latencyMs.p99", "t.lc.requests.ok", "t.rr.latencyMs.mean", "t.rr.latencyMs.mean", "t.rr.backends.app-2.requests",
    ]);
    for (const [, text] of values) expect(text).toMatch(/^[\d,.]+( ms|%)?$/);
    expect(values[2]![1]).toMatch(/ ms$/);
    expect(values[1]![1]).toMatch(/%$/);
    expect(values[4]![1]).toMatch(/^\d+\.\d$/);
    expect(values[5]![1]).toMatch(/^\d+\.\d\d$/);
  });

  it("formats as the report does", () => {
    expect(FORMATTERS.none!(0.35871)).toBe(formatValue(0.35871));
    expect(FORMATTERS.percent!(0.35871)).toBe(formatPercent(0.35871));
    expect(FORMATTERS.percent!(0.35871)).toBe("35.87%");
    expect(FORMATTERS.ms!(3883.2)).toBe(`${formatMs(3883.2)} ms`);
    expect(FORMATTERS.int!(12951.4)).toBe(formatCount(12951));
    expect(FORMATTERS.fixed1!(2.25)).toBe("2.3");
    expect(FORMATTERS.fixed2!(1)).toBe("1.00");
  });
});

describe("errors name the notebook file and line", () => {
  it("unknown run, variant, metric and format", async () => {
    expect(await errorOf(`${tinyBlock()}\n\nx {{ nope.rr.requests.sent }}`)).toMatch(new RegExp(`^FILE:${AFTER + 1}:1: unknown run "nope" \\(runs: t\\)`));
    expect(await errorOf(`${tinyBlock()}\n{{ t.r.requests.sent }}`)).toMatch(new RegExp(`^FILE:${AFTER}:1: unknown variant "r" of run t \\(variants: rr, lc\\)`));
    expect(await errorOf(`${tinyBlock()}\n\n\n{{ t.rr.requests.sant }}`)).toMatch(new RegExp(`^FILE:${AFTER + 2}:1: unknown metric "requests.sant".*did you mean \`requests.sent\``));
    expect(await errorOf(`${tinyBlock()}\n{{ t.rr.requests.sent | pct }}`)).toMatch(/unknown format "pct".*formats: none, percent, ms, int, fixed1, fixed2/);
  });

  it("bad YAML inside a block points into the block", async () => {
    expect(await errorOf("Text\n\n```chart\nfrom: t\nchart: [unclosed\n```")).toMatch(/^FILE:1[01]:\d+: in the chart block: syntax error/);
  });

  it("an unknown chart suggests the closest one", async () => {
    expect(await errorOf(`${tinyBlock()}\n\`\`\`chart\nfrom: t\nchart: health-timelime\n\`\`\``)).toMatch(
      new RegExp(`^FILE:${AFTER + 2}:\\d+: chart: expected one of .*health-timeline`),
    );
  });

  it("an unknown run in a chart or expect block, and an unknown variant in an expect entry", async () => {
    expect(await errorOf("```chart\n{ from: bh, chart: latency-cdf }\n```")).toMatch(/^FILE:6:1: unknown run "bh" \(this notebook has no ```lbsim block\)/);
    expect(await errorOf(`${tinyBlock()}\n\`\`\`expect\n- { run: t, metric: requests.sent, above: 1 }\n- { run: t, variant: xx, metric: requests.sent, above: 1 }\n\`\`\``)).toMatch(
      new RegExp(`^FILE:${AFTER + 2}:1: unknown variant "xx"`),
    );
  });

  it("an error inside an inline scenario points at its notebook line", async () => {
    const block = tinyBlock().replace("workers: 4", "workers: 0");
    const line = 6 + block.split("\n").findIndex((l) => l.includes("workers: 0"));
    expect(await errorOf(block)).toMatch(new RegExp(`^FILE:${line}:\\d+: backends\\.0\\.workers: expected an integer >= 1`));
  });

  it("a missing scenario file is reported at the block", async () => {
    expect(await errorOf("```lbsim\nas: x\nrun: scenarios/does-not-exist.yaml\n```")).toMatch(/^FILE:6:1: \S*scenarios\/does-not-exist\.yaml: cannot read the file/);
  });
});
