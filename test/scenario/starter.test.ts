// Proves the starter scenario `lbsim init` writes parses, builds, and explains every section with comments.
import { describe, expect, it } from "vitest";
import { buildRun } from "../../src/scenario/build.js";
import { parseScenario } from "../../src/scenario/load.js";
import { STARTER_SCENARIO } from "../../src/scenario/starter.js";

describe("STARTER_SCENARIO", () => {
  it("parses, with its variants, and builds", () => {
    const scenario = parseScenario(STARTER_SCENARIO, "starter.yaml");
    expect(scenario.base.name).toBe("starter");
    expect(scenario.variants.map((v) => v.name)).toEqual(["tcp", "http"]);
    expect(scenario.base.backends).toHaveLength(10);
    expect(buildRun(scenario, "http").tier.nodes[0]!.health.active!.probe).toBe("http");
  });

  it("comments every top-level section", () => {
    const lines = STARTER_SCENARIO.split("\n");
    for (const section of ["seed", "duration", "warmup", "network", "clients", "lb", "backends", "timeline", "variants", "expect"]) {
      const line = lines.find((l) => l.startsWith(`${section}:`));
      const next = lines[lines.indexOf(line!) + 1] ?? "";
      expect(line!.includes("#") || next.includes("#"), section).toBe(true);
    }
  });
});
