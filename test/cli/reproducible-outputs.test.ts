// Proves the CLI's outputs are reproducible across processes: two `lbsim run --out` of the same seed write
// byte-identical reports, a sweep gives identical results and files with 1 and 2 worker threads, and a run that
// fails in a worker thread is reported as in the main thread. Runs the built CLI
// (npm test builds); in npm run test:long (test/long-tests.ts) as each takes tens of seconds on a busy machine.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "cli", "main.js");
const BLACK_HOLE = join(ROOT, "scenarios", "black-hole.yaml");

function lbsim(...args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const tmp = (): string => mkdtempSync(join(tmpdir(), "lbsim-cli-"));

describe("lbsim CLI outputs are reproducible", () => {
  it("--out writes a report that is byte-identical for the same seed", () => {
    const a = tmp();
    const b = tmp();
    expect(lbsim("run", BLACK_HOLE, "--variant", "tcp", "--out", a).status).toBe(0);
    expect(lbsim("run", BLACK_HOLE, "--variant", "tcp", "--out", b).status).toBe(0);
    for (const file of ["index.html", "data/summary.json", "data/windows.csv", "png/health-timeline.png"]) {
      expect(existsSync(join(a, file)), file).toBe(true);
      expect(readFileSync(join(a, file)).equals(readFileSync(join(b, file))), file).toBe(true);
    }
    expect(readFileSync(join(a, "index.html"), "utf8")).toContain("lbsim run scenarios/black-hole.yaml --seed 42");
  });

  it("sweep gives identical results with 1 and 2 worker threads", () => {
    const args = ["sweep", BLACK_HOLE, "--vary", "lb.health.interval=1s,3s", "--seeds", "2", "--set", "duration=30s", "--set", "timeline.1.at=20s", "--json"];
    const one = execFileSync(process.execPath, [CLI, ...args, "--workers", "1"], { cwd: ROOT, encoding: "utf8" });
    const two = execFileSync(process.execPath, [CLI, ...args, "--workers", "2"], { cwd: ROOT, encoding: "utf8" });
    expect(two).toBe(one);
    const doc = JSON.parse(one);
    expect(doc.points).toHaveLength(2 * 3 * 2); // values x variants x seeds
  });

  it("sweep --out writes the same table and files, byte for byte, on 1 and 2 worker threads", () => {
    // Two grid points with different costs (20 s and 30 s of traffic), so the threads take them costliest first.
    const args = ["sweep", BLACK_HOLE, "--vary", "duration=20s,30s", "--seeds", "3", "--set", "timeline.1.at=15s", "--metric", "requests.lostFraction", "--metric", "latencyMs.p99"];
    const dirs = [tmp(), tmp()].map((d) => join(d, "sweep"));
    const outputs = ["1", "2"].map((workers, i) => lbsim(...args, "--workers", workers, "--out", dirs[i]!));
    for (const output of outputs) expect(output.status, output.stderr).toBe(0);
    expect(outputs[1]!.stdout.replace(dirs[1]!, "DIR")).toBe(outputs[0]!.stdout.replace(dirs[0]!, "DIR"));
    const files = ["sweep.txt", "sweep.csv", "cells.csv", "sweep.json", "index.html", "png/sweep-metric-1.png", "png/sweep-metric-2.png"];
    for (const file of files) expect(readFileSync(join(dirs[1]!, file)).equals(readFileSync(join(dirs[0]!, file))), file).toBe(true);
    // 2 durations x 3 variants x 3 seeds
    expect(JSON.parse(readFileSync(join(dirs[0]!, "sweep.json"), "utf8")).points).toHaveLength(18);
  });

  it("a run that fails in a worker thread is exit 3 naming its seed, as in the main thread", () => {
    const args = ["sweep", BLACK_HOLE, "--vary", "lb.health.interval=1s", "--seeds", "2", "--set", "maxEvents=1000"];
    // On 2 threads eight times: a helper stopped moments after it started once left Node exiting 13 (an unsettled
    // top-level await) on about one run in three; eight runs would all miss that with probability (2/3)^8 = 4%.
    for (const workers of ["1", "2", "2", "2", "2", "2", "2", "2", "2"]) {
      const { status, stdout, stderr } = lbsim(...args, "--workers", workers);
      expect(status, workers).toBe(3);
      expect(stdout).toBe("");
      // Which of the failing runs is reported first depends on timing with 2 threads: any seed of the sweep.
      expect(stderr.trim(), workers).toMatch(/^lbsim: the simulation failed: event budget of 1000 exhausted before the horizon \(seed 42(-2)?, t=\d+us\)$/);
    }
  });
});
