// Proves every lesson still teaches what it claims: each scenario in the library runs all its variants and every
// `expect:` line holds, and each notebook in notebooks/ renders and every claim in its ```expect blocks holds
// against today's simulator, so a change that breaks a lesson fails the build. One file, so that a notebook
// block running a library scenario as it is takes the run the library check made (src/lab/run-memo.ts): eleven
// notebook runs are library runs, and a run is a pure function of its file, settings and seed.
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { RunMemo } from "../../src/lab/run-memo.js";
import { runVariants, scenarioReport } from "../../src/lab/scenario-runs.js";
import { initHistograms } from "../../src/metrics/histogram.js";
import { renderNotebook } from "../../src/notebook/index.js";
import { loadScenario } from "../../src/scenario/load.js";

const ROOT = resolve(__dirname, "..", "..");
const LIBRARY = join(ROOT, "scenarios");
const files = readdirSync(LIBRARY).filter((f) => f.endsWith(".yaml")).sort();
const NOTEBOOKS = readdirSync(join(ROOT, "notebooks")).filter((name) => name.endsWith(".md") && name !== "README.md").sort();
const memo = new RunMemo();

beforeAll(async () => {
  await initHistograms();
});

describe("scenario library", () => {
  it("has the lessons the README promises", () => {
    const lessons = [
      "black-hole", "variable-service-times", "nat-ip-hash", "sticky-sessions", "gc-dynamic-weights",
      "jvm-warmup-slow-start", "fast-failure-trap", "retries", "retry-storm", "timeout-mismatch", "draining",
      "overload", "l4-vs-l7", "health-check-flapping", "multi-node-herding", "your-traffic", "cascading-failure",
      "overload-flapping",
    ];
    expect(files.map((f) => f.replace(/\.yaml$/, "")).sort()).toEqual(lessons.sort());
  });

  for (const name of files) {
    it(`${name}: every expectation holds`, () => {
      const file = join(LIBRARY, name);
      const loaded = loadScenario(file);
      expect(loaded.base.expect.length, "a lesson states what it must show").toBeGreaterThan(0);
      expect(loaded.base.description.length).toBeGreaterThan(40);
      const results = memo.results(file, {}, () => runVariants(loaded, undefined));
      const report = scenarioReport({ loaded, results, command: `lbsim run scenarios/${name}` });
      const failed = report.expectations.filter((e) => !e.passed).map((e) => `${e.variant}: ${e.text} (actual ${e.actual})`);
      expect(failed).toEqual([]);
    });
  }
});

describe("every notebook", () => {
  it("there are notebooks to check", () => {
    expect(NOTEBOOKS.length).toBeGreaterThan(0);
  });

  for (const name of NOTEBOOKS) {
    it(`${name}: renders, states at least one claim, and every claim holds`, async () => {
      // Scenario paths in notebooks are relative to the project root, where lbsim runs.
      process.chdir(ROOT);
      const result = await renderNotebook(join("notebooks", name), memo);
      expect(result.expectations.length).toBeGreaterThan(0);
      expect(result.expectations.filter((x) => !x.passed)).toEqual([]);
    });
  }
});
