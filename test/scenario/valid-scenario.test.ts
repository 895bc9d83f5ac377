// Proves a full scenario (every section) parses into resolved values: units in microseconds, presets merged with overrides, counts expanded, targets resolved.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/scenario/errors/scenario-error.js";
import { loadScenario, parseScenario } from "../../src/scenario/load.js";

const FULL = join(import.meta.dirname, "fixtures", "full.yaml");

describe("a full scenario", () => {
  const scenario = loadScenario(FULL);
  const base = scenario.base;

  it("converts durations, rates and shares", () => {
    expect(base.durationUs).toBe(300_000_000);
    expect(base.warmupUs).toBe(30_000_000);
    expect(base.network.clientToLbUs).toEqual({ kind: "lognormal", mean: 2_000, p99: 10_000 });
    expect(base.network.lbToBackendUs).toEqual({ kind: "constant", value: 250 });
    expect(base.clients[0]!.load).toEqual({ kind: "open", arrivals: { kind: "poisson", ratePerSecond: 400 } });
    expect(base.lb.retries.budget).toEqual({ percent: 20, minConcurrency: 3 });
    expect(base.lb.rateLimit).toEqual({ rate: 2000, burst: 200 });
    expect(base.lb.spread).toEqual({ kind: "dns", ttlUs: 30_000_000 });
  });

  it("merges the haproxy preset with the overrides (timeout check and fastinter follow inter)", () => {
    const active = base.lb.health.active!;
    expect(active.intervalUs).toBe(1_000_000);
    expect(active.timeoutUs).toBe(1_000_000);
    expect(active.fastIntervalUs).toBe(1_000_000);
    expect(active.fall).toBe(2);
    expect(active.rise).toBe(2); // from the preset (HAProxy `rise` 2)
    expect(active.probe).toBe("tcp");
    expect(base.lb.health.passive).toMatchObject({ kind: "nginx", maxFails: 1, failTimeoutUs: 10_000_000 });
    expect(base.lb.health.slowStart).toEqual({ kind: "linear", windowUs: 30_000_000, applyAtStartup: false });
  });

  it("expands backend counts into names and addresses", () => {
    expect(base.backends.map((b) => b.name)).toEqual([...Array.from({ length: 10 }, (_, i) => `app-${i + 1}`), "canary"]);
    expect(base.backends[0]!.address).toBe("10.0.0.1:8080");
    expect(base.backends[10]!.address).toBe("10.0.1.1:8080");
    expect(base.backends[0]!.workers).toBe(16);
    expect(base.backends[10]!.workers).toBe(8); // the schema default
    expect(base.backends[0]!.warmup).toEqual({ notReadyUs: 10_000_000, initialMultiplier: 4, requests: 2000 });
    expect(base.lb.nodes).toEqual(["lb-1", "lb-2"]);
  });

  it("fills balancer options with their documented defaults", () => {
    expect(base.lb.algorithm).toEqual({ algorithm: "peak-ewma", decayTimeUs: 5_000_000, failurePenaltyUs: 0, picker: "p2c", choiceCount: 2 });
  });

  it("resolves timeline targets: ranges, groups (including added backends), count", () => {
    const steps = base.timeline;
    expect(steps.map((s) => s.action)).toEqual(["hang", "slow", "traffic", "add", "deploy", "remove", "dependency-down"]);
    expect(steps[0]!.targets).toEqual(["app-1", "app-2", "app-3"]);
    expect(steps[3]!.targets).toEqual(["app-11", "app-12"]);
    expect(steps[4]!.targets).toHaveLength(12);
    expect(steps[4]!.params).toEqual({ batchSize: 4, intervalUs: 20_000_000, drainUs: 5_000_000 });
    expect(steps[6]!.targets).toEqual(["app-1", "app-2"]);
    expect(steps[6]!.params).toEqual({ dependency: "db" });
  });

  it("derives idempotency from the method and keeps expectations", () => {
    expect(base.clients[0]!.classes.map((c) => c.idempotent)).toEqual([true, false]);
    expect(base.expect[1]).toEqual({ variant: "http", metric: "latencyMs.p99", above: null, below: { value: 200 } });
    expect(base.expect[2]!.below).toEqual({ variant: "tcp", factor: 0.1 });
  });

  it("reads the same scenario from JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "lbsim-scenario-"));
    const file = join(dir, "full.json");
    writeFileSync(file, JSON.stringify(parse(readFileSync(FULL, "utf8")), null, 2));
    expect(loadScenario(file).base).toEqual(base);
  });

  it("reports a JSON syntax error with its line", () => {
    try {
      parseScenario('{\n  "name": "x",\n  "duration": 5s\n}', "broken.json");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioError);
      expect((error as ScenarioError).format()).toMatch(/^broken\.json:3:\d+: syntax error/);
    }
  });

  it("lists every problem, not just the first", () => {
    const text = readFileSync(FULL, "utf8").replace("workers: 16", "workers: 0").replace("fall: 2", "fall: 0");
    try {
      parseScenario(text, "two.yaml");
      expect.unreachable();
    } catch (error) {
      const paths = (error as ScenarioError).issues.map((i) => i.path);
      expect(paths).toContain("backends.0.workers");
      expect(paths).toContain("lb.health.fall");
    }
  });
});
