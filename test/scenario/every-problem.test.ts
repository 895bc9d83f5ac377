// Proves a scenario's problems are reported all at once (what `lbsim validate` prints): a bad value in one
// section no longer hides an unknown timeline target, a mistyped expectation or a bad variant elsewhere.
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/scenario/errors/scenario-error.js";
import { parseScenario } from "../../src/scenario/load.js";

function problems(text: string): string[] {
  try {
    parseScenario(text, "many.yaml");
  } catch (error) {
    if (error instanceof ScenarioError) return error.issues.map((i) => `${i.line}:${i.path}`);
    throw error;
  }
  throw new Error("expected a ScenarioError");
}

const HEAD = `name: many
duration: 20s
clients:
  - name: web
    load: { open: { poisson: 50/s } }
    classes: [{ name: read, demand: { exponential: { mean: 10ms } } }]
`;

describe("every problem in a file at once", () => {
  it("a section's own problem, cross-section problems and each variant's problems", () => {
    const text = `${HEAD}lb:
  health: { rize: 2 }
backends:
  - { name: app, count: 2 }
timeline:
  - { at: 5s, hang: {}, targets: app-9 }
variants:
  - { name: a, set: { lb.health.probe: tcpp } }
  - { name: b, set: { lb.healthh.probe: http } }
expect:
  - { variant: a, metric: requests.lostt, above: 1% }
  - { variant: zz, metric: requests.lost, above: 1% }
`;
    // Six problems on six lines; on the old loader only the first (lb.health.rize) was reported.
    expect(problems(text)).toEqual([
      "8:lb.health.rize",
      "12:timeline.0.targets",
      "17:expect.0.metric",
      "18:expect.1.variant",
      "14:lb.health.probe",
      "15:variants.1.set",
    ]);
  });

  it("a problem in the scenario as written is reported once, not again for every variant", () => {
    const text = `${HEAD}backends:
  - { name: app, workers: 0 }
variants:
  - { name: a, set: { lb.health.probe: tcp } }
  - { name: b, set: { lb.health.probe: htp } }
`;
    expect(problems(text)).toEqual(["8:backends.0.workers", "11:lb.health.probe"]);
  });
});
