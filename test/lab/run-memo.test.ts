// Proves RunMemo gives back the first run's results for the same scenario file, settings, variant and seed, and
// runs again when any of them differs, the file's text included (a stale run would pass off old numbers as new).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RunMemo } from "../../src/lab/run-memo.js";
import type { VariantResult } from "../../src/report/report-data.js";

describe("RunMemo", () => {
  it("answers the same run from memory and anything else by running", () => {
    const dir = mkdtempSync(join(tmpdir(), "lbsim-memo-"));
    const file = join(dir, "s.yaml");
    const twin = join(dir, "twin.yaml");
    writeFileSync(file, "name: a\n");
    writeFileSync(twin, "name: a\n");
    const memo = new RunMemo();
    let runs = 0;
    const compute = (): VariantResult[] => {
      runs++;
      return [];
    };
    const first = memo.results(file, {}, compute);
    expect(memo.results(file, {}, compute)).toBe(first);
    expect([runs, memo.hits]).toEqual([1, 1]);
    // Each of these differs from the first in one input (settings, variant, seed, another file with the same text,
    // the same file with new text): five more runs, no more hits.
    memo.results(file, { set: ["duration=1s"] }, compute);
    memo.results(file, { variant: "tcp" }, compute);
    memo.results(file, { seed: "3" }, compute);
    memo.results(twin, {}, compute);
    writeFileSync(file, "name: b\n");
    memo.results(file, {}, compute);
    expect([runs, memo.hits]).toEqual([6, 1]);
  });
});
