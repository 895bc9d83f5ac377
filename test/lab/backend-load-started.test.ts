// Proves the `started` column of backend-load.csv counts what it says: the attempts each backend began serving
// in each window (it was always 0 before), summing over the windows to the attempts the backend served.
import { beforeAll, describe, expect, it } from "vitest";
import { runVariants } from "../../src/lab/scenario-runs.js";
import { initHistograms } from "../../src/metrics/histogram.js";
import { parseScenario } from "../../src/scenario/load.js";

beforeAll(async () => {
  await initHistograms();
});

describe("backend load: started", () => {
  it("sums over the windows to each backend's attempts; a crashed backend starts none while down", () => {
    // 300/s of 2 ms constant work over 3 backends of 8 workers: utilisation 0.025 a worker, no queueing, no loss
    // but what app-3's crash resets or refuses. With no warm-up every attempt counts in `requests`; one not yet started at
    // the 10 s horizon (in the network or the backlog) would be the only difference, and the last arrival
    // before the horizon leaves at most a few hundred microseconds for that.
    const text = `
name: started
duration: 10s
clients:
  - { name: users, load: { open: { poisson: 300/s } }, classes: [{ name: get, demand: { constant: 2ms } }], timeout: 1s }
lb: { health: { probe: http, interval: 500ms, fall: 1 } }
backends:
  - { name: app, count: 3 }
timeline:
  - { at: 4s, crash: {}, targets: app-3 }
`;
    const [result] = runVariants(parseScenario(text, "started.yaml"), undefined);
    const { summary, series } = result!;
    for (const backend of summary.backends) {
      const rows = series.backendLoad.filter((r) => r.backend === backend.name);
      const started = rows.reduce((sum, r) => sum + r.started, 0);
      // About 1,000 each for app-1 and app-2 before the crash's share moves to them, 400 for app-3 (sd ~30).
      expect(started, backend.name).toBeGreaterThan(300);
      expect(backend.requests - started, backend.name).toBeGreaterThanOrEqual(0);
      // app-3 also counts attempts refused after its crash (until the checks catch it), which never start:
      // they are among its failures. The others fail nothing.
      expect(backend.requests - started, backend.name).toBeLessThanOrEqual(backend.name === "app-3" ? backend.failed : 2);
    }
    expect(summary.backends.find((b) => b.name === "app-3")!.failed).toBeGreaterThan(0);
    // app-3 is down from 4 s on and never restarts: no window after its crash starts anything there.
    const afterCrash = series.backendLoad.filter((r) => r.backend === "app-3" && r.startMs >= 4_000);
    expect(afterCrash.length).toBeGreaterThan(0);
    expect(afterCrash.every((r) => r.started === 0)).toBe(true);
  });
});
