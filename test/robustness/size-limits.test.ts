// Proves the size limits: a scenario or notebook file past 1 MB, and names, titles and descriptions past their
// lengths, are user errors (exit 2) that say the limit and why, and a chart never carries a title longer than one
// line whatever the report holds (a 10,000-character name once made a 2.4 GB report).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderNotebook } from "../../src/notebook/index.js";
import { MAX_TITLE_CHARS } from "../../src/report/chart-kit.js";
import { REPORT_CHARTS } from "../../src/report/charts.js";
import { ScenarioError } from "../../src/scenario/errors/scenario-error.js";
import { loadScenario, parseScenario } from "../../src/scenario/load.js";
import { buildFixtureReport } from "../report/fixture.js";

const BASE = `name: sizes
duration: 1s
clients:
  - { name: users, load: { open: { poisson: 100/s } }, classes: [{ name: get, demand: { constant: 1ms } }] }
backends:
  - { name: app, count: 2 }
`;

function errorText(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ScenarioError) return error.format();
    throw error;
  }
  throw new Error("expected a ScenarioError");
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lbsim-sizes-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("size limits", () => {
  it("refuses a scenario file past 1 MB before parsing it, and the same text in memory", async () => {
    // 1.1 MB of description: YAML that would parse, but no hand-written scenario is that large.
    const text = `${BASE}description: "${"x".repeat(1_100_000)}"\n`;
    const file = join(dir, "huge.yaml");
    await writeFile(file, text);
    expect(errorText(() => loadScenario(file))).toBe(`${file}: expected a file of at most 1 MB, 1,048,576 bytes (a hand-written scenario is a few KB), got ${Buffer.byteLength(text).toLocaleString("en-US")} bytes`);
    expect(errorText(() => parseScenario(text, "huge.yaml"))).toMatch(/^huge\.yaml: expected a file of at most 1 MB/);
  });

  it("refuses a notebook past 1 MB", async () => {
    const file = join(dir, "huge.md");
    await writeFile(file, `---\ntitle: huge\n---\n${"words ".repeat(200_000)}`);
    await expect(renderNotebook(file)).rejects.toThrow(/expected a notebook of at most 1 MB, 1,048,576 bytes \(a lesson is a few KB\), got 1,200,0\d\d bytes/);
  });

  const cases: Array<[string, string, RegExp]> = [
    ["name", `name: ${"n".repeat(65)}`, /^bad\.yaml:1:7: name: expected at most 64 characters \(names label files, charts, legends and CSV columns\)/],
    ["name of 10,000 characters", `name: ${"n".repeat(10_000)}`, /name: expected at most 64 characters/],
    ["title", `title: ${"t".repeat(201)}`, /title: expected at most 200 characters \(a title heads the report\)/],
    ["description", `description: ${"d".repeat(10_001)}`, /description: expected at most 10,000 characters/],
    ["seed", `seed: ${"s".repeat(65)}`, /seed: expected at most 64 characters/],
    ["backend group name", `backends: [{ name: ${"b".repeat(65)} }]`, /backends\.0\.name: expected at most 64 characters/],
    ["request class name", `clients: [{ name: users, load: { open: { poisson: 1/s } }, classes: [{ name: ${"c".repeat(65)}, demand: { constant: 1ms } }] }]`, /clients\.0\.classes\.0\.name: expected at most 64 characters/],
    ["variant description", `variants: [{ name: v, description: ${"v".repeat(10_001)} }]`, /variants\.0\.description: expected at most 10,000 characters/],
  ];
  for (const [what, line, message] of cases) {
    it(`refuses a long ${what}`, () => {
      // The line replaces the base's own key, or is added to the base.
      const key = line.slice(0, line.indexOf(":"));
      const lines = BASE.split("\n").filter((l) => !l.startsWith(`${key}:`) && !(key === "backends" && l.startsWith("  - { name: app")) && !(key === "clients" && l.startsWith("  - { name: users")));
      const text = [line, ...lines].join("\n");
      expect(errorText(() => parseScenario(text, "bad.yaml"))).toMatch(message);
    });
  }

  it("clips chart titles and subtitles to one line whatever the report holds", () => {
    const report = buildFixtureReport({ name: "n".repeat(10_000), windows: 5 });
    for (const chart of REPORT_CHARTS) {
      if (!chart.hasData(report)) continue;
      const title = (chart.spec(report) as { title?: { text: string; subtitle: string } }).title!;
      expect([...title.subtitle].length, chart.id).toBeLessThanOrEqual(MAX_TITLE_CHARS);
      expect([...title.text].length, chart.id).toBeLessThanOrEqual(MAX_TITLE_CHARS);
      expect(title.subtitle.endsWith("…"), chart.id).toBe(true);
    }
  });
});
