// Proves timeline targets follow rolling deploys: a target names a backend or group as the user wrote it and
// means whatever serves under that name when the step runs. A chain of deploy, crash, restart, deploy: the crash
// and restart hit app-1@v2 (not the retired app-1), and the second deploy replaces the v2s with v3s, leaving two
// backends serving, not four.
import { beforeAll, describe, expect, it } from "vitest";
import { runVariants } from "../../src/lab/scenario-runs.js";
import { initHistograms } from "../../src/metrics/histogram.js";
import { parseScenario } from "../../src/scenario/load.js";

beforeAll(async () => {
  await initHistograms();
});

const SCENARIO = `
name: deploy-chain
duration: 40s
clients:
  - { name: users, load: { open: { poisson: 200/s } }, classes: [{ name: get, demand: { constant: 2ms } }], timeout: 2s }
lb: { health: { preset: haproxy, probe: http, interval: 500ms, timeout: 250ms, rise: 1, fall: 1 } }
backends:
  - { name: app, count: 2, warmup: { notReady: 1s } }
timeline:
  - { at: 5s, deploy: { rolling: { batch: 2, interval: 0s, delay: 0s } }, targets: app }
  - { at: 12s, crash: {}, targets: app-1 }
  - { at: 16s, restart: { delay: 1s }, targets: app-1 }
  - { at: 25s, deploy: { rolling: { batch: 2, interval: 0s, delay: 0s } }, targets: app }
`;

describe("timeline targets after rolling deploys", () => {
  it("crash, restart and a second deploy act on the backend serving under the name", () => {
    const [result] = runVariants(parseScenario(SCENARIO, "deploy-chain.yaml"), undefined);
    const { summary, series } = result!;
    expect(summary.backends.map((b) => b.name)).toEqual(["app-1", "app-2", "app-1@v2", "app-2@v2", "app-1@v3", "app-2@v3"]);
    const marks = (backend: string, kind: string) => series.markers.filter((m) => m.backend === backend && m.kind === kind).map((m) => m.atMs);
    // The crash at 12 s hits app-1@v2 and the restart starts it again 1 s after 16 s; the retired app-1 is not
    // touched again. app-1@v2's last crash is its own retirement, when app-1@v3 is ready at 26 s.
    expect(marks("app-1@v2", "crash")).toEqual([12_000, 26_000]);
    expect(marks("app-1@v2", "start")).toEqual([17_000]);
    expect(marks("app-1", "crash")).toEqual([6_000]);
    // Attempts each backend started, by window: v1s serve until their v2s are ready (5 s + 1 s not ready), v2s
    // until the v3s are ready (26 s), then only the v3s serve. Windows are 200 ms here (40 s / 200).
    const startedBetween = (backend: string, fromMs: number, toMs: number) =>
      series.backendLoad.filter((r) => r.backend === backend && r.startMs >= fromMs && r.endMs <= toMs).reduce((sum, r) => sum + r.started, 0);
    for (const old of ["app-1", "app-2"]) expect(startedBetween(old, 7_000, 40_000), old).toBe(0);
    for (const v2 of ["app-1@v2", "app-2@v2"]) expect(startedBetween(v2, 27_000, 40_000), v2).toBe(0);
    // Two backends serve at the end, each about half of 200/s for 13 s (1,300, sd ~36).
    for (const v3 of ["app-1@v3", "app-2@v3"]) {
      expect(startedBetween(v3, 27_000, 40_000), v3).toBeGreaterThan(1_100);
      expect(startedBetween(v3, 27_000, 40_000), v3).toBeLessThan(1_500);
    }
    // While app-1@v2 was down (12 s until checks catch it, then 16-17 s), app-2@v2 took the load.
    expect(startedBetween("app-1@v2", 13_000, 16_000)).toBe(0);
  });
});
