// Proves a long run tells the user what to expect: an estimate line before it starts (only when it is long),
// and on a terminal a bar with the time so far and the time left that redraws at least once a second; the
// simulator reports progress in enough slices for that, and reporting changes nothing in the results.
import { beforeAll, describe, expect, it } from "vitest";
import { runEstimate } from "../../src/cli/run-estimate.js";
import { formatSeconds, progressBar, progressLine } from "../../src/cli/progress.js";
import { estimatedRequests } from "../../src/lab/sweep-cells.js";
import { runVariants } from "../../src/lab/scenario-runs.js";
import { initHistograms } from "../../src/metrics/histogram.js";
import { PROGRESS_SLICES } from "../../src/model/world.js";
import { loadScenario } from "../../src/scenario/load.js";
import { ROOT, TINY } from "./helpers.js";

beforeAll(async () => {
  await initHistograms();
});

/** A terminal stand-in: what was written, and a clock the test moves. */
function fakeTerminal(): { stream: NodeJS.WritableStream & { isTTY: boolean }; writes: string[]; clock: { t: number } } {
  const writes: string[] = [];
  const stream = { isTTY: true, write: (text: string) => writes.push(text) > 0 } as unknown as NodeJS.WritableStream & { isTTY: boolean };
  return { stream, writes, clock: { t: 100 } };
}

describe("the progress bar", () => {
  it("shows the fraction, the time so far and the time left (elapsed x (1 - f) / f)", () => {
    // A quarter done after 10 s: 10 x 0.75 / 0.25 = 30 s left.
    expect(progressLine("http", 0.25, 10)).toBe(`http${" ".repeat(20)} [########......................]  25%  10s, about 30s left`);
    expect(progressLine("tcp", 0.005, 3)).toMatch(/0%  3s$/); // too early to estimate
    expect(formatSeconds(65)).toBe("1m05s");
    expect(formatSeconds(3720)).toBe("1h02m");
  });

  it("redraws at most ten times a second, and after a second even when the fraction has not moved", () => {
    const { stream, writes, clock } = fakeTerminal();
    const bar = progressBar(stream, { now: () => clock.t, timer: false });
    bar.update("tcp", 0.1);
    expect(writes).toHaveLength(1);
    clock.t += 0.05;
    bar.update("tcp", 0.11); // within 100 ms of the last draw: skipped
    expect(writes).toHaveLength(1);
    clock.t += 1;
    bar.update("tcp", 0.11); // same fraction, but a second on: the time moved, so the line did
    expect(writes).toHaveLength(2);
    expect(writes[1]).toContain("1s, about");
    bar.done();
    expect(writes.at(-1)).toMatch(/^\r +\r$/);
  });

  it("writes nothing when stderr is not a terminal", () => {
    const { stream, writes } = fakeTerminal();
    stream.isTTY = false;
    const bar = progressBar(stream, { timer: false });
    bar.announce("lbsim: about 10s");
    bar.update("x", 0.5);
    bar.done();
    expect(writes).toEqual([]);
  });
});

describe("the estimate before a run", () => {
  it("says nothing for a short run, and counts requests x variants x seeds for a long one", () => {
    const tiny = loadScenario(TINY);
    expect(runEstimate(tiny, 1)).toBeNull();
    const blackHole = loadScenario(`${ROOT}/scenarios/black-hole.yaml`);
    const perSeed = blackHole.variants.reduce((sum, v) => sum + estimatedRequests(v.config, blackHole.file), 0);
    const line = runEstimate(blackHole, 20)!;
    expect(line).toMatch(new RegExp(`^lbsim: about [\\d,]+ user requests in 60 runs: about \\d+s$`));
    expect(Number(/about ([\d,]+) user/.exec(line)![1]!.replaceAll(",", ""))).toBe(Math.round(perSeed * 20));
  });
});

describe("the simulator's progress reports", () => {
  it(`come in ${PROGRESS_SLICES} rising slices per run and change nothing in the results`, () => {
    const loaded = loadScenario(TINY, { variant: "http" });
    const fractions: number[] = [];
    const [watched] = runVariants(loaded, undefined, (_variant, fraction) => fractions.push(fraction));
    const [plain] = runVariants(loaded, undefined);
    expect(fractions).toHaveLength(PROGRESS_SLICES);
    expect(fractions.every((f, i) => i === 0 || f > fractions[i - 1]!)).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    expect(JSON.stringify(watched!.summary)).toBe(JSON.stringify(plain!.summary));
  });
});
