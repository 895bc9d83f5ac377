// Proves a swarm of hostile scenario files (library scenarios with lines deleted, duplicated and swapped, extreme
// numbers, durations and rates, truncation, random unicode, prototype keys, alias bombs) ends every time as the
// CLI promises: exit 0, 2 or 3, no error of a kind that would print a stack trace, and no file past the hang
// bound. A fixed seed, so a failure here reproduces with `npm run fuzz -- --seed npm-test --files 32`.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { beforeAll, describe, expect, it } from "vitest";
import { fuzzScenarios, mutatedFile, type FuzzSource } from "../../src/fuzz/scenario-fuzzer.js";
import { initHistograms } from "../../src/metrics/histogram.js";

const LIBRARY = join(import.meta.dirname, "..", "..", "scenarios");
const sources: FuzzSource[] = readdirSync(LIBRARY).filter((f) => f.endsWith(".yaml")).sort()
  .map((f) => ({ name: f.replace(/\.yaml$/, ""), text: readFileSync(join(LIBRARY, f), "utf8") }));

beforeAll(async () => {
  await initHistograms();
});

describe("scenario fuzzer", () => {
  it("draws the same files from the same seed, and different ones from another", () => {
    expect(mutatedFile(sources, "s", 3)).toEqual(mutatedFile(sources, "s", 3));
    expect(mutatedFile(sources, "s", 3).text).not.toBe(mutatedFile(sources, "t", 3).text);
  });

  it("32 hostile files: exit 0, 2 or 3 only, no stack traces, no hangs", () => {
    // 32 files of at most 0.5 s simulated keep this test's share of npm test to a few seconds; `npm run fuzz -- --files N` runs longer.
    const report = fuzzScenarios(sources, { seed: "npm-test", files: 32, nowMs: () => performance.now(), hangMs: 10_000 });
    expect(report.files).toBe(32);
    expect(report.byExitCode[0] + report.byExitCode[2] + report.byExitCode[3]).toBe(32);
    expect(report.stackTraces, JSON.stringify(report.stackTraces, null, 1)).toEqual([]);
    expect(report.hangs, JSON.stringify(report.hangs, null, 1)).toEqual([]);
    // The run path is exercised too, not only validation: some mutated files still validate and run.
    expect(report.byExitCode[0]).toBeGreaterThanOrEqual(3);
  });
});
