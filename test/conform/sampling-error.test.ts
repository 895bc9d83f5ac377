// Proves every conformance case sends enough requests for its tolerances to mean something: for each lost and
// share metric that chance decides, the tolerance is at least 3 standard errors of the real-minus-simulated
// difference, sqrt(2 p (1 - p) / n), with p and n from lbsim's prediction of the very requests the lab replays.
import { beforeAll, describe, expect, it } from "vitest";
import { initHistograms } from "../../src/metrics/histogram.js";
import { loadCase, predict } from "../../src/conform/run-case.js";
import { MIN_SE_RATIO, samplingRows, seDiff } from "../../src/conform/sampling-error.js";
import { SUITE } from "../../src/conform/suite.js";

beforeAll(async () => {
  await initHistograms();
});

describe("seDiff", () => {
  it("is sqrt(2 p (1 - p) / n)", () => {
    // p = 0.5, n = 2000: sqrt(2 x 0.25 / 2000) = sqrt(0.00025) = 0.0158.
    expect(seDiff(0.5, 2000)).toBeCloseTo(0.01581, 5);
  });
});

describe("every suite case's sample", () => {
  for (const c of SUITE) {
    it(`${c.name}: chance-decided lost and share metrics have tolerance >= ${MIN_SE_RATIO} SE of the difference`, () => {
      const { build } = loadCase(c, process.cwd());
      const built = build();
      const rows = samplingRows(c, predict(built), built.config.lb);
      const short = rows.filter((r) => !r.scheduled && r.ratio < MIN_SE_RATIO).map((r) => `${r.metric}: p ${r.p.toFixed(3)}, n ${r.n}, ratio ${r.ratio.toFixed(2)}`);
      expect(short).toEqual([]);
    });
  }
});
