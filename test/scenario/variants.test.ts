// Proves variants and --set overrides change the raw document before validation, that a variant's own setting wins over --set (and the loader says where), and that bad paths or names are reported.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/scenario/errors/scenario-error.js";
import { loadScenario } from "../../src/scenario/load.js";

const FULL = join(import.meta.dirname, "fixtures", "full.yaml");

function errorOf(run: () => unknown): ScenarioError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error("expected a ScenarioError");
}

describe("variants", () => {
  it("apply their dotted paths, by name in lists too", () => {
    const { base, variants } = loadScenario(FULL);
    expect(base.lb.health.active!.probe).toBe("tcp");
    const http = variants.find((v) => v.name === "http")!;
    expect(http.description).toBe("HTTP checks see the hang");
    expect(http.config.lb.health.active!.probe).toBe("http");
    expect(http.config.backends[0]!.workers).toBe(32); // backends.app.workers
    expect(http.config.backends[10]!.workers).toBe(8); // canary untouched
  });

  it("can be narrowed to one", () => {
    expect(loadScenario(FULL, { variant: "tcp" }).variants.map((v) => v.name)).toEqual(["tcp"]);
  });

  it("an unknown variant name suggests the closest", () => {
    const error = errorOf(() => loadScenario(FULL, { variant: "htpp" }));
    expect(error.issues[0]!.didYouMean).toBe("http");
  });
});

describe("--set overrides", () => {
  it("apply to the base and to every variant that does not set the same path itself", () => {
    const { base, variants, setAside } = loadScenario(FULL, { set: ["lb.health.probe=deep", "duration=290s", "lb.algorithm=least-connections"] });
    expect(base.durationUs).toBe(290_000_000);
    expect(base.lb.health.active!.probe).toBe("deep");
    expect(base.lb.algorithm).toEqual({ algorithm: "least-connections", weighted: true, countQueued: false, variant: "nginx", maxFails: 1 });
    for (const v of variants) expect(v.config.durationUs).toBe(290_000_000);
    // Each variant sets lb.health.probe itself, so the columns stay what they are named after.
    expect(variants.map((v) => v.config.lb.health.active!.probe)).toEqual(["tcp", "http"]);
    expect(setAside).toEqual([{ override: "--set lb.health.probe=deep", variants: ["tcp", "http"] }]);
  });

  it("a variant's own setting wins over --set around or inside its path, and only that variant is named", () => {
    // http sets backends.app.workers; --set replaces the whole app group's workers and a field beside it.
    const inside = loadScenario(FULL, { set: ["backends.app.workers=4", "backends.app.queueLimit=7"] });
    const [tcp, http] = inside.variants;
    expect([tcp!.config.backends[0]!.workers, http!.config.backends[0]!.workers]).toEqual([4, 32]);
    expect([tcp!.config.backends[0]!.queueLimit, http!.config.backends[0]!.queueLimit]).toEqual([7, 7]);
    expect(inside.setAside).toEqual([{ override: "--set backends.app.workers=4", variants: ["http"] }]);
    // An override of a whole section around the variant's path: the variant's path is applied on top of it.
    const around = loadScenario(FULL, { set: ["lb.health={preset: envoy, probe: deep}"] });
    expect(around.variants.map((v) => v.config.lb.health.active!.probe)).toEqual(["tcp", "http"]);
    expect(around.setAside).toEqual([{ override: "--set lb.health={preset: envoy, probe: deep}", variants: ["tcp", "http"] }]);
  });

  it("read values as YAML, so mappings work", () => {
    const { base } = loadScenario(FULL, { set: ["lb.algorithm={power-of-two-choices: {choiceCount: 3}}", "clients.web.timeout=2s"] });
    expect(base.lb.algorithm).toMatchObject({ algorithm: "power-of-two-choices", choiceCount: 3 });
    expect(base.clients[0]!.timeout).toBe(2_000_000);
  });

  it("report an unknown path with a suggestion", () => {
    const error = errorOf(() => loadScenario(FULL, { set: ["lb.healthh.rise=3"] }));
    expect(error.format()).toContain("--set lb.healthh.rise=3: lb.healthh.rise: unknown path");
    expect(error.issues[0]!.didYouMean).toBe("health");
  });

  it("report a bad value as coming from the override", () => {
    const error = errorOf(() => loadScenario(FULL, { set: ["lb.health.rise=0"] }));
    expect(error.format()).toContain("lb.health.rise: expected an integer >= 1, got 0 (set by --set lb.health.rise=0)");
  });
});
