// Proves what makes a sweep's result independent of its threads: cells are taken costliest first (ties in cell
// order) but their summaries go back to their positions, a cell's failure in a helper thread reaches the CLI as
// the same SimulationError (exit 3 with the seed) it would be in the main thread, and a thread's memory of loaded
// scenarios hands each run its own copy and notices an edited file. 1 vs 2 threads byte for byte, through the
// built CLI: test/cli/reproducible-outputs.test.ts (npm run test:long; worker threads cannot load TypeScript).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { errorExit } from "../../src/cli/error-exit.js";
import { SimulationError } from "../../src/engine/invariant.js";
import { sweepCells } from "../../src/lab/sweep-cells.js";
import { failureError, jobFailure } from "../../src/lab/sweep-failure.js";
import { loadSweepPoint } from "../../src/lab/sweep-job.js";
import { dispatchOrder, runCells, type SweepDefinition } from "../../src/lab/sweep.js";
import { loadScenario } from "../../src/scenario/load.js";

const SMALL = join(resolve(__dirname, "..", ".."), "test", "lab", "fixtures", "sweep-small.yaml");

describe("the order threads take cells in", () => {
  it("is costliest first, ties in cell order, and cell order without costs", () => {
    // Costs 1, 5, 3, 5, 1: the two 5s (cells 1 then 3), the 3 (cell 2), the two 1s (cells 0 then 4).
    expect(dispatchOrder([1, 5, 3, 5, 1], 5)).toEqual([1, 3, 2, 0, 4]);
    expect(dispatchOrder(undefined, 4)).toEqual([0, 1, 2, 3]);
  });

  it("changes when cells run, not what they give or where it goes", async () => {
    const definition: SweepDefinition = { file: SMALL, set: ["duration=3s"], axes: [{ path: "lb.health.fall", values: ["2", "3"] }], variants: ["rr", "lc"], seeds: ["1"] };
    const cells = sweepCells(definition.axes, definition.variants, definition.seeds);
    const heard: number[] = [];
    // Cell 3 (fall=3, lc) is made the costliest, then 0; 1 and 2 tie at the bottom.
    const ordered = await runCells(definition, cells, 1, (cell) => { heard.push(cell.index); }, { costs: [2, 1, 1, 9] });
    expect(heard).toEqual([3, 0, 1, 2]);
    const plain = await runCells(definition, cells, 1);
    expect(JSON.stringify(ordered)).toBe(JSON.stringify(plain));
    expect(ordered.map((s) => s.variant)).toEqual(["rr", "lc", "rr", "lc"]);
  }, 60_000);
});

describe("a helper thread's failure", () => {
  it("is a SimulationError again on the main thread, with the same message and seed", () => {
    const original = new SimulationError("event budget of 1000 exhausted before the horizon", "4-2", 491_473);
    // What postMessage does to the plain data: a structured clone.
    const back = failureError(structuredClone(jobFailure(original)));
    expect(back).toBeInstanceOf(SimulationError);
    expect(back.message).toBe("event budget of 1000 exhausted before the horizon (seed 4-2, t=491473us)");
    expect((back as SimulationError).seed).toBe("4-2");
    expect(errorExit(back)).toEqual(errorExit(original));
  });

  it("keeps any other error's name and message (an internal error, exit 3)", () => {
    const back = failureError(structuredClone(jobFailure(new RangeError("no such backend"))));
    expect(back).not.toBeInstanceOf(SimulationError);
    expect(errorExit(back).message).toMatch(/^lbsim: internal error .*: RangeError: no such backend$/);
    expect(errorExit(back).code).toBe(3);
  });
});

describe("a thread's loaded scenarios", () => {
  it("gives every run its own copy of what loadScenario gives", () => {
    const a = loadSweepPoint(SMALL, ["lb.health.fall=3"]);
    const b = loadSweepPoint(SMALL, ["lb.health.fall=3"]);
    expect(a).toEqual(loadScenario(SMALL, { set: ["lb.health.fall=3"] }));
    expect(b).toEqual(a);
    expect(b).not.toBe(a);
    expect(b.base).not.toBe(a.base);
    // Another override is another scenario.
    expect(loadSweepPoint(SMALL, ["lb.health.fall=2"]).base.lb.health).not.toEqual(a.base.lb.health);
  });

  it("loads a file again once its text has changed", () => {
    const file = join(mkdtempSync(join(tmpdir(), "lbsim-points-")), "small.yaml");
    writeFileSync(file, readFileSync(SMALL, "utf8"));
    expect(loadSweepPoint(file, []).base.durationUs).toBe(10_000_000);
    writeFileSync(file, readFileSync(SMALL, "utf8").replace("duration: 10s", "duration: 12s"));
    expect(loadSweepPoint(file, []).base.durationUs).toBe(12_000_000);
  });
});
