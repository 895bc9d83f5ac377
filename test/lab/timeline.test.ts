// Proves every timeline action works from scenario text through to the world: add (scale-out), remove with a
// deregistration delay, a rolling deploy, a traffic change, restart, slow, fast-5xx and dependency outages.
import { beforeAll, describe, expect, it } from "vitest";
import { runVariants } from "../../src/lab/scenario-runs.js";
import { initHistograms } from "../../src/metrics/histogram.js";
import { parseScenario } from "../../src/scenario/load.js";

beforeAll(async () => {
  await initHistograms();
});

const SCENARIO = `
name: timeline-actions
duration: 60s
clients:
  - { name: users, load: { open: { poisson: 200/s } }, classes: [{ name: get, demand: { constant: 5ms } }], timeout: 5s }
lb: { health: { preset: haproxy, probe: http, interval: 1s, timeout: 500ms } }
backends:
  - { name: app, count: 4, dependencies: [db], warmup: { notReady: 2s, initialMultiplier: 3, requests: 200 } }
timeline:
  - { at: 5s, add: { count: 2, like: app } }
  - { at: 10s, slow: { factor: 4 }, targets: app-2 }
  - { at: 12s, recover: {}, targets: app-2 }
  - { at: 15s, fast-5xx: { rate: 50% }, targets: app-3 }
  - { at: 18s, recover: {}, targets: app-3 }
  - { at: 20s, restart: { delay: 3s }, targets: app-4 }
  - { at: 25s, dependency-down: { name: db }, targets: app-1 }
  - { at: 28s, dependency-up: { name: db }, targets: app-1 }
  - { at: 30s, remove: { delay: 5s }, targets: app-5 }
  - { at: 35s, deploy: { rolling: { batch: 2, interval: 5s, delay: 2s } }, targets: app-1..app-2 }
  - { at: 45s, traffic: { multiplier: 2 } }
`;

describe("timeline actions", () => {
  it("run from scenario text, every step taking effect", () => {
    const loaded = parseScenario(SCENARIO, "timeline.yaml");
    const [result] = runVariants(loaded, undefined);
    const summary = result!.summary;
    const names = summary.backends.map((b) => b.name);
    // Scale-out added two backends named after the group; the deploy replaced app-1 and app-2 with v2s.
    expect(names).toEqual(expect.arrayContaining(["app-5", "app-6", "app-1@v2", "app-2@v2"]));
    const byName = Object.fromEntries(summary.backends.map((b) => [b.name, b]));
    expect(byName["app-6"]!.requests).toBeGreaterThan(500);
    expect(byName["app-1@v2"]!.requests).toBeGreaterThan(100);
    // app-3's errors and app-1's outage show up as backend errors.
    expect(summary.requests.outcomes["backend-error"]).toBeGreaterThan(50);
    // The traffic doubles for the last 15 s: 200/s x 45 s + 400/s x 15 s = 15,000 expected (sd ~122).
    expect(summary.requests.sent).toBeGreaterThan(14_400);
    expect(summary.requests.sent).toBeLessThan(15_600);
    const settled = Object.values(summary.requests.outcomes).reduce((a, b) => a + b, 0);
    expect(settled).toBe(summary.requests.sent);
  });
});
