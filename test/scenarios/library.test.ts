// Proves every lesson in the scenario library still teaches what it claims: each scenario runs all its variants
// and every `expect:` line holds, so a change that breaks a lesson fails the build.
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runVariants, scenarioReport } from "../../src/lab/scenario-runs.js";
import { initHistograms } from "../../src/metrics/histogram.js";
import { loadScenario } from "../../src/scenario/load.js";

const LIBRARY = resolve(__dirname, "..", "..", "scenarios");
const files = readdirSync(LIBRARY).filter((f) => f.endsWith(".yaml")).sort();

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
      const loaded = loadScenario(join(LIBRARY, name));
      expect(loaded.base.expect.length, "a lesson states what it must show").toBeGreaterThan(0);
      expect(loaded.base.description.length).toBeGreaterThan(40);
      const results = runVariants(loaded, undefined);
      const report = scenarioReport({ loaded, results, command: `lbsim run scenarios/${name}` });
      const failed = report.expectations.filter((e) => !e.passed).map((e) => `${e.variant}: ${e.text} (actual ${e.actual})`);
      expect(failed).toEqual([]);
    });
  }
});
