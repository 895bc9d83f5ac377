// Proves `lbsim sweep --out DIR` replaces DIR whole or not at all, as a report does: a sweep whose run fails part
// way (exit 3) leaves an earlier sweep's folder byte for byte, keeping its finished runs beside it for a rerun; a
// sweep that finishes replaces the folder and leaves nothing beside it; a folder lbsim did not write is refused
// with exit 2 and one line before any run. In-process (test/cli/in-process.ts), one thread: the exit code is
// process.exitCode, as the spawned CLI's status.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { TINY, tmp } from "./helpers.js";
import { lbsimInProcess } from "./in-process.js";

/** Every file under dir with its bytes, keyed by relative path, sorted. */
async function snapshot(dir: string): Promise<Array<[string, string]>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: Array<[string, string]> = [];
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files.push([relative(dir, path), (await readFile(path)).toString("base64")]);
  }
  return files.sort(([a], [b]) => a.localeCompare(b));
}

/** tiny.yaml's two variants, one seed, 3 s of traffic: two cells per grid point, each well under a second. */
const sweepArgs = (vary: string, out: string): string[] =>
  ["sweep", TINY, "--vary", vary, "--seeds", "1", "--workers", "1", "--set", "duration=3s", "--set", "timeline.0.at=2s", "--metric", "requests.lost", "--out", out];

describe("lbsim sweep --out replaces its folder whole or not at all", () => {
  it("a failed sweep leaves the earlier folder byte-identical; a finished one replaces it and leaves nothing beside it", async () => {
    const parent = tmp();
    const out = join(parent, "sweep");

    const first = await lbsimInProcess(sweepArgs("lb.health.fall=2", out));
    expect(first.status, first.stderr).toBe(0);
    expect(await readdir(parent)).toEqual(["sweep"]);
    const before = await snapshot(out);
    // sweep.txt, sweep.csv, cells.csv, sweep.json, index.html, a spec and a PNG for the one metric, and the 2 runs
    // (1 grid point x 2 variants x 1 seed) kept for a rerun in cells/.
    expect(before.map(([name]) => name)).toEqual([
      "cells.csv", "cells/cell-000000.json", "cells/cell-000001.json", "index.html", "png/sweep-metric-1.png",
      "specs/sweep-metric-1.vl.json", "sweep.csv", "sweep.json", "sweep.txt",
    ]);

    // Grid point maxEvents=1000000 runs (its 2 cells finish), then maxEvents=1000 exhausts its budget: exit 3.
    const failed = await lbsimInProcess(sweepArgs("maxEvents=1000000,1000", out));
    expect(failed.status, failed.stderr).toBe(3);
    expect(failed.stderr.trim()).toMatch(/^lbsim: the simulation failed: event budget of 1000 exhausted before the horizon \(seed 7, t=\d+us\)$/);
    expect(await snapshot(out)).toEqual(before);
    // Beside it: only the failed sweep's finished runs, for a rerun to resume (no staging or .old folder).
    expect((await readdir(parent)).sort()).toEqual([".sweep.lbsim-cells", "sweep"]);
    expect((await readdir(join(parent, ".sweep.lbsim-cells"))).sort()).toEqual(["cell-000000.json", "cell-000001.json"]);

    // Another sweep into the folder finishes: it replaces the folder (its table has the new grid's 4 rows) and
    // removes the cache, even though the cache held the failed sweep's runs.
    const second = await lbsimInProcess(sweepArgs("lb.health.fall=2,3", out));
    expect(second.status, second.stderr).toBe(0);
    expect(await readdir(parent)).toEqual(["sweep"]);
    const after = await snapshot(out);
    expect(after).not.toEqual(before);
    // 2 grid points x 2 variants x 1 seed = 4 cells.
    expect(after.filter(([name]) => name.startsWith("cells/"))).toHaveLength(4);
    expect(JSON.parse(await readFile(join(out, "sweep.json"), "utf8")).points).toHaveLength(4);
  }, 60_000);

  it("a sweep into a new folder that fails leaves only its runs; a finished sweep's rerun resumes from its folder", async () => {
    const parent = tmp();
    const out = join(parent, "sweep");
    const failed = await lbsimInProcess(sweepArgs("maxEvents=1000000,1000", out));
    expect(failed.status).toBe(3);
    // Nothing was there before, so nothing is there now but the 2 finished runs.
    expect((await readdir(parent)).sort()).toEqual([".sweep.lbsim-cells"]);
    // Without the failing grid point it is another sweep (its grid, so its fingerprint, differs): its runs are
    // run anew, and the cache goes once it finishes.
    const rerun = await lbsimInProcess(sweepArgs("maxEvents=1000000", out));
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stdout).not.toMatch(/Resumed/);
    expect(await readdir(parent)).toEqual(["sweep"]);
    const again = await lbsimInProcess(sweepArgs("maxEvents=1000000", out));
    expect(again.status, again.stderr).toBe(0);
    // Both cells come from sweep/cells, written by the finished run; the folder is written again, the same bytes.
    expect(again.stdout).toMatch(/Resumed 2 finished cells of 2\./);
    expect(await readdir(parent)).toEqual(["sweep"]);
  }, 60_000);

  it("refuses a folder lbsim did not write, with exit 2 and one line, before any run", async () => {
    const parent = tmp();
    const out = join(parent, "mine");
    await mkdir(out);
    await writeFile(join(out, "notes.txt"), "my notes\n");
    const result = await lbsimInProcess(sweepArgs("lb.health.fall=2", out));
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`lbsim: ${out} holds files lbsim did not write (no page with lbsim's generator tag); lbsim replaces its output folder whole, so choose a new or empty folder for --out\n`);
    expect(await readFile(join(out, "notes.txt"), "utf8")).toBe("my notes\n");
    expect(await readdir(parent)).toEqual(["mine"]);
  });
});
