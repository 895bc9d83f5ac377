// Proves the CLI's outputs are reproducible across processes: two `lbsim run --out` of the same seed write
// byte-identical reports, and a sweep gives identical results with 1 and 2 worker threads. Runs the built CLI
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
});
