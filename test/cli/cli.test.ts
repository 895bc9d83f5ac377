// Proves the lbsim command behaves as the README promises: exit codes (0 ok, 1 expectation failed, 2 bad input),
// the --json document's fields, errors with file:line and no stack trace, init/list/schema/validate, reports on
// disk. Runs the built CLI (npm test builds). Reports and sweeps byte-identical across processes and worker
// counts: reproducible-outputs.test.ts (npm run test:long).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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

describe("lbsim CLI", () => {
  it("run --json prints one document with the documented fields, per variant", () => {
    const { status, stdout, stderr } = lbsim("run", BLACK_HOLE, "--json");
    expect(stderr).toBe("");
    expect(status).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc).toMatchObject({ schemaVersion: 2, scenario: "black-hole", seed: "42", version: "0.1.0" });
    expect(doc.variants.map((v: { variant: string }) => v.variant)).toEqual(["tcp", "http", "deep"]);
    for (const v of doc.variants) {
      expect(v.schemaVersion).toBe(2);
      expect(Object.keys(v.requests)).toEqual(["sent", "ok", "lost", "lostFraction", "outcomes"]);
      expect(Object.keys(v.tries)).toEqual(["sent", "ok", "failed", "retries", "outcomes"]);
      expect(Object.keys(v.attempts)).toEqual(["sent", "ok", "failed", "retries", "hedges", "duplicates", "outcomes"]);
      expect(Object.keys(v.latencyMs)).toEqual(expect.arrayContaining(["mean", "p50", "p90", "p99", "p999", "max"]));
      expect(Object.keys(v.failedLatencyMs)).toEqual(expect.arrayContaining(["mean", "p50", "p90", "p99", "p999", "max"]));
      expect(v.backends[0]).toEqual(expect.objectContaining({ name: "app-1", requests: expect.any(Number), ok: expect.any(Number), failed: expect.any(Number), timeInStateMs: expect.any(Object) }));
      const settled = Object.values(v.requests.outcomes as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(settled).toBe(v.requests.sent);
    }
    expect(doc.expectations.every((e: { passed: boolean }) => e.passed)).toBe(true);
  });

  it("exits 1 when an expectation fails", () => {
    // Without the hang and the database outage (an empty timeline) the tcp variant loses 25%, not over 30%.
    const { status, stdout } = lbsim("run", BLACK_HOLE, "--variant", "tcp", "--set", "timeline=[]");
    expect(status).toBe(1);
    expect(stdout).toMatch(/FAIL\s+tcp: requests.lostFraction > 0.3/);
  });

  it("bad input: file, line, field and what was expected; exit 2; no stack trace", () => {
    const dir = tmp();
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "name: bad\nduration: 1m\nlb:\n  health: { rize: 2 }\nbackends: [{ name: app }]\nclients: [{ name: c, load: { open: { poisson: 10/s } }, classes: [{ name: x, demand: { constant: 1ms } }] }]\n");
    const { status, stderr, stdout } = lbsim("run", file);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/bad\.yaml:4:\d+: lb\.health\.rize: unknown key .*did you mean `rise`/);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack frames
    expect(lbsim("validate", file).status).toBe(2);
    expect(lbsim("run", join(dir, "missing.yaml")).status).toBe(2);
    expect(lbsim("run", BLACK_HOLE, "--seedz", "3").status).toBe(2);
    expect(lbsim("compare", BLACK_HOLE, "--seeds", "0").status).toBe(2);
  });

  it("init writes a starter that validates, and refuses to overwrite", () => {
    const file = join(tmp(), "starter.yaml");
    expect(lbsim("init", file).status).toBe(0);
    expect(readFileSync(file, "utf8")).toMatch(/^#/m);
    expect(lbsim("validate", file).status).toBe(0);
    const again = lbsim("init", file);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/exists; pass --force/);
  });

  it("list shows the library; schema prints a JSON Schema", () => {
    expect(lbsim("list").stdout).toMatch(/black-hole\s+The health check black hole/);
    const schema = JSON.parse(lbsim("schema").stdout);
    expect(JSON.stringify(schema)).toMatch(/"backends"/);
  });
});
