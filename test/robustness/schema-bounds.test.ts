// Proves every value the schema accepts is one the model can run: past each bound the model really has, the
// scenario is a ScenarioError (exit 2) whose message says the bound and why; at the bound, the run completes.
// Each case crashed `run` with a stack trace or hung on the main branch before these bounds.
import { beforeAll, describe, expect, it } from "vitest";
import { runVariants } from "../../src/lab/scenario-runs.js";
import { initHistograms } from "../../src/metrics/histogram.js";
import { ScenarioError } from "../../src/scenario/errors/scenario-error.js";
import { scenarioJsonSchema } from "../../src/scenario/json-schema.js";
import { parseScenario } from "../../src/scenario/load.js";

beforeAll(async () => {
  await initHistograms();
});

const BASE = `
name: bounds
duration: 1s
clients:
  - { name: users, load: { open: { poisson: 200/s } }, classes: [{ name: get, demand: { exponential: { mean: 5ms } } }] }
backends:
  - { name: app, count: 3 }
`;

function rejection(set: string[], text = BASE): string {
  try {
    parseScenario(text, "bounds.yaml", { set });
  } catch (error) {
    if (error instanceof ScenarioError) return error.format();
    throw error;
  }
  throw new Error(`${set.join(" ")} was accepted`);
}

describe("schema bounds", () => {
  const cases: Array<[string, RegExp]> = [
    ["backends.app.workers=1000000000000", /backends\.0\.workers: expected at most 10,000 workers \(the model keeps two slots per worker/],
    ["clients.users.count=1000000000000", /clients\.0\.count: expected at most 65,024 clients \(each has its own address in the group's \/16/],
    ["lb.keepalive={maxIdlePerBackend: 1000000000000}", /lb\.keepalive\.maxIdlePerBackend: expected at most 65,535 idle connections \(each connection to one backend needs its own source port\)/],
    ["lb.algorithm={consistent-hash: {method: maglev, tableSize: 65536}}", /tableSize: expected a prime table size .*got 65536/],
    ["lb.algorithm={consistent-hash: {method: maglev, tableSize: 2147483647}}", /tableSize: expected at most 5,000,011 slots \(Envoy's limit/],
    ["lb.algorithm={consistent-hash: {method: maglev, tableSize: 3}}", /lb\.algorithm: expected a Maglev table size above the 3 backends/],
    ["clients.users.load={open: {poisson: 10000000/s}}", /open\.poisson: expected a rate of at most 1,000,000\/s \(one arrival per microsecond/],
    ["clients.users.load={open: {diurnal: {base: 600000/s, amplitude: 100%, period: 1s}}}", /diurnal\.amplitude: expected a peak rate, base x \(1 \+ amplitude\), of at most 1,000,000\/s/],
    ["timeline=[{at: 500ms, traffic: {multiplier: 1000000}}]", /timeline\.0\.traffic\.multiplier: expected at most x5000 for group users \(200\/s\)/],
    ["timeline=[{at: 500ms, traffic: {rate: 2000000/s}}]", /timeline\.0\.traffic\.rate: expected a rate of at most 1,000,000\/s/],
    ["timeline=[{at: 500ms, add: {count: 1000000}}]", /timeline\.0\.add\.count: expected at most 247 more backends in group app/],
    ["clients.users.timeout=99999999999999999999h", /clients\.0\.timeout: expected a duration of at most 285 years/],
  ];
  for (const [set, message] of cases) {
    it(`refuses ${set}`, () => {
      expect(rejection([set])).toMatch(message);
    });
  }

  it("runs at each bound", () => {
    // 10,000 workers, 65,024 clients, 65,535 idle connections, 247 more backends: one run of 1 s each.
    const atBounds = [
      "backends.app.workers=10000",
      "clients.users.count=65024",
      "lb.keepalive={maxIdlePerBackend: 65535}",
      "timeline=[{at: 500ms, add: {count: 247}}]",
    ];
    for (const set of atBounds) {
      const [result] = runVariants(parseScenario(BASE, "bounds.yaml", { set: [set] }), undefined);
      // 200/s for 1 s: about 200 requests (sd 14); each accounted for.
      expect(result!.summary.requests.sent, set).toBeGreaterThan(140);
      const settled = Object.values(result!.summary.requests.outcomes).reduce((a, b) => a + b, 0);
      expect(settled, set).toBe(result!.summary.requests.sent);
    }
  });

  it("accepts Envoy's largest Maglev table, a prime", () => {
    const loaded = parseScenario(BASE, "bounds.yaml", { set: ["lb.algorithm={consistent-hash: {method: maglev, tableSize: 5000011}}"] });
    expect(loaded.base.lb.algorithm).toMatchObject({ method: "maglev", tableSize: 5_000_011 });
  });

  it("puts the numeric bounds in the JSON Schema editors read", () => {
    const text = JSON.stringify(scenarioJsonSchema());
    for (const max of ["10000", "65024", "65535", "5000011"]) expect(text).toContain(`"maximum":${max}`);
  });
});
