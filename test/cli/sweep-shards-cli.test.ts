// Proves, with separate processes as a batch system would start them, that the shards of a sweep merged by
// `lbsim merge` give the same table, CSVs, JSON and report as the whole sweep on one machine, byte for byte; and
// that a missing shard, a duplicated one or one from another lbsim version is refused with exit 2 and one line.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { fingerprintHash } from "../../src/lab/sweep-fingerprint.js";

const ROOT = resolve(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "cli", "main.js");
const SMALL = join(ROOT, "test", "lab", "fixtures", "sweep-small.yaml");
const SWEEP = ["sweep", SMALL, "--vary", "lb.health.fall=2,3", "--vary", "backends.0.workers=1,2", "--seeds", "2", "--workers", "1"];

function lbsim(...args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Both shards at once, as two pods would run them. */
function runShards(dir: string, count: number): Promise<string[]> {
  return Promise.all(Array.from({ length: count }, (_, k) => new Promise<string>((done, fail) => {
    const file = join(dir, `shard-${k}.json`);
    const child = spawn(process.execPath, [CLI, ...SWEEP, "--shard", "env", "--out-shard", file], {
      cwd: ROOT, env: { ...process.env, JOB_COMPLETION_INDEX: String(k), LBSIM_SHARD_COUNT: String(count) }, stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (chunk) => { err += String(chunk); });
    child.on("exit", (code) => (code === 0 ? done(file) : fail(new Error(`shard ${k} exited ${code}: ${err}`))));
  })));
}

const filesOf = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f !== "cells" && !f.startsWith("cells/")).sort();

describe("sharded sweeps", () => {
  it("merge of two shards run as separate processes equals the one-machine sweep byte for byte", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lbsim-shards-"));
    const whole = lbsim(...SWEEP, "--out", join(dir, "whole"));
    expect(whole.stderr).toBe("");
    expect(whole.status).toBe(0);
    const shards = await runShards(dir, 2);
    const merged = lbsim("merge", ...shards, "--out", join(dir, "merged"));
    expect(merged.stderr).toBe("");
    expect(merged.status).toBe(0);
    // The printed table is the same too (the merge adds only its closing line).
    expect(merged.stdout.split("\n\n")[0]).toBe(whole.stdout.split("\n\n")[0]);
    const names = filesOf(join(dir, "whole"));
    // sweep.txt, sweep.csv, cells.csv, sweep.json, index.html, and a spec and a PNG for each of 3 metrics.
    expect(names.filter((n) => !n.includes("/"))).toEqual(["cells.csv", "index.html", "png", "specs", "sweep.csv", "sweep.json", "sweep.txt"]);
    expect(filesOf(join(dir, "merged"))).toEqual(names);
    for (const name of names.filter((n) => n.includes("."))) {
      expect(readFileSync(join(dir, "merged", name)).equals(readFileSync(join(dir, "whole", name))), name).toBe(true);
    }
    // 2 x 2 grid points x 2 variants x 2 seeds = 16 cells, every one in the JSON once.
    const doc = JSON.parse(readFileSync(join(dir, "merged", "sweep.json"), "utf8"));
    expect(doc.points.map((p: { cell: number }) => p.cell)).toEqual(Array.from({ length: 16 }, (_, i) => i));

    // A missing shard: exit 2, one line, naming the absent shard.
    const missing = lbsim("merge", shards[0]!);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toMatch(/cells are missing \(no file for shard 1\/2\)/);
    // The same shard twice.
    const twice = lbsim("merge", shards[0]!, shards[0]!);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toMatch(/appears twice/);
    // A shard from another lbsim version.
    const other = join(dir, "other-version.json");
    const doc1 = JSON.parse(readFileSync(shards[1]!, "utf8"));
    doc1.fingerprint.lbsimVersion = "9.9.9";
    // What that other version would have written: a fingerprint whose hash covers its version.
    doc1.fingerprint.hash = fingerprintHash(doc1.fingerprint);
    writeFileSync(other, JSON.stringify(doc1));
    const version = lbsim("merge", shards[0]!, other);
    expect(version.status).toBe(2);
    expect(version.stderr).toMatch(/comes from another sweep .*lbsim version 0\.1\.0 vs 9\.9\.9/);
    const both = lbsim("merge", other);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/made by lbsim 9\.9\.9/);
    // An edited shard (version changed, hash not): refused as damaged.
    const edited = join(dir, "edited.json");
    doc1.fingerprint.hash = JSON.parse(readFileSync(shards[1]!, "utf8")).fingerprint.hash;
    writeFileSync(edited, JSON.stringify(doc1));
    const damaged = lbsim("merge", shards[0]!, edited);
    expect(damaged.status).toBe(2);
    expect(damaged.stderr).toMatch(/edited or damaged/);
    // Not a shard at all.
    const notShard = lbsim("merge", SMALL);
    expect(notShard.status).toBe(2);
    expect(notShard.stderr).toMatch(/not a sweep shard/);
  }, 120_000);

  it("refuses contradictory output options before running anything", () => {
    const dir = mkdtempSync(join(tmpdir(), "lbsim-shards-"));
    const file = join(dir, "a-file");
    writeFileSync(file, "x");
    const cases: Array<[string[], RegExp]> = [
      [["--shard", "0/2"], /--shard needs --out-shard/],
      [["--out-shard", join(dir, "s.json")], /--out-shard goes with --shard/],
      [["--shard", "0/2", "--out-shard", join(dir, "s.json"), "--out", dir], /lbsim merge writes the report/],
      [["--out", file], /is a file; --out expects a directory/],
      [["--shard", "2/2", "--out-shard", join(dir, "s.json")], /from 0 to 1/],
    ];
    for (const [extra, message] of cases) {
      const result = lbsim(...SWEEP, ...extra);
      expect(result.status, extra.join(" ")).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});
