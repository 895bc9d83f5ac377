// Proves that a sweep's shards are a pure, balanced function of the sweep and its index, that shard files are
// refused unless they come from one sweep and cover every cell exactly once, and that an interrupted sweep keeps
// its finished cells and a rerun runs only the rest.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseShard } from "../../src/cli/sweep-command.js";
import { UsageError } from "../../src/cli/exit-codes.js";
import { assignShards, estimatedRequests, sweepCells } from "../../src/lab/sweep-cells.js";
import { fingerprintDifference, sweepFingerprint } from "../../src/lab/sweep-fingerprint.js";
import { combineShards, runResumable, type ShardFile, SweepFileError } from "../../src/lab/sweep-store.js";
import type { SweepDefinition } from "../../src/lab/sweep.js";
import type { RunSummary } from "../../src/report/report-data.js";
import { scenarioConfig } from "../../src/scenario/build.js";
import { loadScenario } from "../../src/scenario/load.js";

const ROOT = resolve(__dirname, "..", "..");
const BLACK_HOLE = join(ROOT, "scenarios", "black-hole.yaml");
const SMALL = join(ROOT, "test", "lab", "fixtures", "sweep-small.yaml");

describe("cells and shards", () => {
  const axes = [{ path: "a", values: ["1", "2", "3"] }, { path: "b", values: ["x", "y"] }];
  const cells = sweepCells(axes, ["v1", "v2"], ["s1", "s2"]);

  it("numbers cells grid point first, then variant, then seed", () => {
    // 3 x 2 grid points x 2 variants x 2 seeds = 24 cells.
    expect(cells).toHaveLength(24);
    expect(cells[0]).toEqual({ index: 0, values: ["1", "x"], variant: "v1", seed: "s1" });
    expect(cells[1]).toEqual({ index: 1, values: ["1", "x"], variant: "v1", seed: "s2" });
    expect(cells[2]).toEqual({ index: 2, values: ["1", "x"], variant: "v2", seed: "s1" });
    expect(cells[4]!.values).toEqual(["1", "y"]);
    expect(cells[23]).toEqual({ index: 23, values: ["3", "y"], variant: "v2", seed: "s2" });
  });

  it("gives every cell to exactly one shard, the same way every time", () => {
    const costs = cells.map((c) => 1 + (c.index % 5));
    for (const n of [1, 2, 3, 7, 24, 30]) {
      const shards = assignShards(costs, n);
      expect(shards).toHaveLength(n);
      expect(shards.flat().sort((x, y) => x - y)).toEqual(cells.map((c) => c.index));
      expect(assignShards(costs, n)).toEqual(shards);
    }
  });

  it("balances cost by longest processing time first", () => {
    // Cells 0..5 cost 3,7,2,5,3,4. LPT takes them as 7 (cell 1), 5 (3), 4 (5), 3 (0), 3 (4), 2 (2):
    // 7->A; 5->B (0 < 7); 4->B (5 < 7, B=9); 3->A (7 < 9, A=10); 3->B (9 < 10, B=12); 2->A (10 < 12, A=12).
    // Both shards cost 12, the optimum (24/2); A holds cells 1, 0 and 2.
    const costs = [3, 7, 2, 5, 3, 4];
    const shards = assignShards(costs, 2);
    const load = shards.map((s) => s.reduce((sum, i) => sum + costs[i]!, 0));
    expect(load).toEqual([12, 12]);
    expect(shards).toEqual([[0, 1, 2], [3, 4, 5]]);
  });

  it("estimates a run's cost as its expected requests", () => {
    // black-hole: one poisson group; expected requests = rate x duration. Read both from the scenario itself.
    const loaded = loadScenario(BLACK_HOLE, { set: [] });
    const config = scenarioConfig(loaded, "tcp");
    const group = config.clients[0]!;
    expect(group.load.kind).toBe("open");
    const rate = group.load.kind === "open" && group.load.arrivals.kind === "poisson" ? group.load.arrivals.ratePerSecond : NaN;
    expect(estimatedRequests(config, BLACK_HOLE)).toBeCloseTo(rate * (config.durationUs / 1e6), 6);
    // Doubling the duration doubles the estimate.
    const longer = scenarioConfig(loadScenario(BLACK_HOLE, { set: ["duration=240s"] }), "tcp");
    expect(estimatedRequests(longer, BLACK_HOLE)).toBeCloseTo(rate * 240, 6);
  });
});

describe("--shard", () => {
  it("reads K/N and the batch systems' environment variables", () => {
    expect(parseShard("0/4", {})).toEqual({ index: 0, count: 4 });
    expect(parseShard("env", { JOB_COMPLETION_INDEX: "3", LBSIM_SHARD_COUNT: "4" })).toEqual({ index: 3, count: 4 });
    expect(parseShard("env", { LBSIM_SHARD_INDEX: "1", JOB_COMPLETION_INDEX: "3", LBSIM_SHARD_COUNT: "4" })).toEqual({ index: 1, count: 4 });
    // Slurm: an array 1-8 has SLURM_ARRAY_TASK_MIN 1, so task 8 is shard 7 of 8.
    expect(parseShard("env", { SLURM_ARRAY_TASK_ID: "8", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_COUNT: "8" })).toEqual({ index: 7, count: 8 });
  });

  it("refuses what is not a shard, in one line", () => {
    expect(() => parseShard("4/4", {})).toThrow(/from 0 to 3/);
    expect(() => parseShard("1-4", {})).toThrow(/expects K\/N/);
    expect(() => parseShard("0/0", {})).toThrow(/from 1 to 100000/);
    expect(() => parseShard("env", { JOB_COMPLETION_INDEX: "0" })).toThrow(/LBSIM_SHARD_COUNT/);
    expect(() => parseShard("env", {})).toThrow(UsageError);
  });
});

describe("merging shard files", () => {
  const definition: SweepDefinition = { file: BLACK_HOLE, set: [], axes: [{ path: "a", values: ["1", "2"] }], variants: [null], seeds: ["s"] };
  const fp = sweepFingerprint(definition, "demo", "bytes", "0.1.0");
  const cells = sweepCells(definition.axes, definition.variants, definition.seeds);
  const summary = (i: number): RunSummary => ({ variant: "base", marker: i }) as unknown as RunSummary;
  const shard = (index: number, count: number, cellIndexes: number[], fingerprint = fp): ShardFile => ({
    format: "lbsim-sweep-shard", formatVersion: 1, fingerprint, shard: { index, count },
    cells: cellIndexes.map((i) => ({ ...cells[i]!, summary: summary(i) })),
  });
  const expected = (f: typeof fp) => sweepCells(f.axes, f.variants, f.seeds);

  it("puts the cells back in cell order whatever order the shards come in", () => {
    const merged = combineShards([{ path: "b", shard: shard(1, 2, [1]) }, { path: "a", shard: shard(0, 2, [0]) }], expected);
    expect(merged.results.map((r) => (r.summary as unknown as { marker: number }).marker)).toEqual([0, 1]);
  });

  it("names a missing cell and the shard whose file is absent", () => {
    expect(() => combineShards([{ path: "a", shard: shard(0, 2, [0]) }], expected)).toThrow(/1 of 2 cells are missing \(no file for shard 1\/2\): a=2, seed s/);
  });

  it("names a duplicated cell and both files", () => {
    expect(() => combineShards([{ path: "a", shard: shard(0, 2, [0, 1]) }, { path: "b", shard: shard(1, 2, [1]) }], expected)).toThrow(/a=2, seed s appears twice, in a and b/);
  });

  it("refuses shards of another version, scenario or grid, saying which", () => {
    const other = (patch: Partial<SweepDefinition>, bytes = "bytes", version = "0.1.0") => sweepFingerprint({ ...definition, ...patch }, "demo", bytes, version);
    const cases: Array<[typeof fp, RegExp]> = [
      [other({}, "bytes", "0.2.0"), /lbsim version 0.1.0 vs 0.2.0/],
      [other({}, "changed"), /scenario file's contents differ/],
      [other({ seeds: ["s", "t"] }), /seeds differ/],
      [other({ set: ["duration=1s"] }), /--set/],
    ];
    for (const [fingerprint, message] of cases) {
      expect(fingerprintDifference(fp, fingerprint)).toMatch(message);
      expect(() => combineShards([{ path: "a", shard: shard(0, 2, [0]) }, { path: "b", shard: shard(1, 2, [1], fingerprint) }], expected)).toThrow(SweepFileError);
    }
  });
});

describe("resuming", () => {
  it("keeps finished cells when a sweep is interrupted and runs only the rest", async () => {
    const definition: SweepDefinition = {
      file: SMALL, set: [], axes: [{ path: "lb.health.fall", values: ["2", "3"] }], variants: ["lc"], seeds: ["1", "2"],
    };
    const fingerprint = sweepFingerprint(definition, "sweep-small", "x", "0.1.0");
    const cells = sweepCells(definition.axes, definition.variants, definition.seeds);
    const cacheDir = join(mkdtempSync(join(tmpdir(), "lbsim-resume-")), "cells");
    // The first attempt dies after its second cell (an exception stands in for Ctrl-C or a killed pod).
    let seen = 0;
    await expect(runResumable({ definition, fingerprint, cells, workers: 1, cacheDir, onCellDone: (done) => { if (done > 0 && ++seen === 2) throw new Error("interrupted"); } })).rejects.toThrow("interrupted");
    expect(readdirSync(cacheDir).filter((n) => n.endsWith(".json"))).toHaveLength(2);
    let ran = 0;
    const { results, resumed } = await runResumable({ definition, fingerprint, cells, workers: 1, cacheDir, onCellDone: () => { ran++; } });
    // onCellDone hears the resumed count once, then each of the 2 cells that still had to run.
    expect(resumed).toBe(2);
    expect(ran).toBe(1 + 2);
    const fresh = await runResumable({ definition, fingerprint, cells, workers: 1, cacheDir: null });
    expect(JSON.stringify(results.map((r) => r.summary))).toBe(JSON.stringify(fresh.results.map((r) => r.summary)));
  }, 60_000);

  it("refuses a cell directory that belongs to another sweep", async () => {
    const definition: SweepDefinition = { file: SMALL, set: [], axes: [{ path: "lb.health.fall", values: ["2"] }], variants: ["rr"], seeds: ["1"] };
    const cells = sweepCells(definition.axes, definition.variants, definition.seeds);
    const cacheDir = join(mkdtempSync(join(tmpdir(), "lbsim-resume-")), "cells");
    await runResumable({ definition, fingerprint: sweepFingerprint(definition, "sweep-small", "x", "0.1.0"), cells, workers: 1, cacheDir });
    const other = sweepFingerprint(definition, "sweep-small", "y", "0.1.0");
    await expect(runResumable({ definition, fingerprint: other, cells, workers: 1, cacheDir })).rejects.toThrow(/holds cells of another sweep/);
  }, 60_000);
});
