// Proves backend gauges are exact time integrals on hand-built timelines (means, maxima, utilisation, time in
// each state summing to elapsed time), split correctly at window boundaries and when rows merge, and that their
// storage depends on the run's length and backend count, never on how many changes were recorded; and that
// setLoad (the scenario runs' one call per backend change) records what its five separate setters record.
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/engine/rng.js";
import { BackendGauges } from "../../src/metrics/backend-gauges.js";

const STATES = ["healthy", "unhealthy", "draining", "down"] as const;
const [HEALTHY, UNHEALTHY, DRAINING, DOWN] = [0, 1, 2, 3];
const MS = 1_000;
const SECOND = 1_000_000;

describe("BackendGauges time-weighted means", () => {
  it("in-flight 2 for 300 ms then 4 for 700 ms has mean 3.4 and max 4", () => {
    const gauges = new BackendGauges({ windowUs: SECOND, stateNames: STATES, workers: [4] });
    gauges.setInFlight(0, 2, 0);
    gauges.setInFlight(0, 4, 300 * MS);
    gauges.flush(SECOND);
    const [row] = gauges.windows(0);
    expect(row).toMatchObject({ startUs: 0, endUs: SECOND, presentUs: SECOND, meanInFlight: 3.4, maxInFlight: 4 });
  });

  it("splits a value held across a window boundary between the two windows, carrying the max over", () => {
    const gauges = new BackendGauges({ windowUs: SECOND, stateNames: STATES, workers: [1] });
    // Queue 6 from 0.5 s to 1.25 s, then 0. Window 0: 6 * 0.5 / 1 = 3; window 1: 6 * 0.25 / 1 = 1.5.
    gauges.setQueue(0, 6, 500 * MS);
    gauges.setQueue(0, 0, 1_250 * MS);
    gauges.flush(2 * SECOND);
    const rows = gauges.windows(0);
    expect(rows.map((r) => [r.meanQueue, r.maxQueue])).toEqual([[3, 6], [1.5, 6]]);
    // Over the run: 6 * 0.75 s / 2 s = 2.25.
    expect(gauges.summary(0)).toMatchObject({ startUs: 0, endUs: 2 * SECOND, meanQueue: 2.25, maxQueue: 6 });
  });

  it("utilisation is busy-worker time over worker time, also when the worker count changes", () => {
    const gauges = new BackendGauges({ windowUs: SECOND, stateNames: STATES, workers: [4] });
    // 0-500 ms: 2 of 4 busy; 500-1000 ms: 2 of 2 busy. Busy time 2 * 1 s = 2; worker time 4 * 0.5 + 2 * 0.5 = 3.
    gauges.setBusy(0, 2, 0);
    gauges.setWorkers(0, 2, 500 * MS);
    gauges.flush(SECOND);
    expect(gauges.windows(0)[0]!.utilisation).toBeCloseTo(2 / 3, 15);
    expect(() => gauges.setBusy(0, 3, SECOND)).toThrow();
  });

  it("counts requests started and completed in the window they happened in", () => {
    const gauges = new BackendGauges({ windowUs: SECOND, stateNames: STATES, workers: [1, 1] });
    gauges.requestStarted(0, 10);
    gauges.requestStarted(1, 20);
    gauges.requestCompleted(0, 999_999);
    gauges.requestCompleted(1, SECOND);
    gauges.flush(1_500 * MS);
    expect(gauges.windows(0).map((r) => [r.started, r.completed])).toEqual([[1, 1], [0, 0]]);
    expect(gauges.windows(1).map((r) => [r.started, r.completed])).toEqual([[1, 0], [0, 1]]);
    expect(gauges.summary(1)).toMatchObject({ started: 1, completed: 1 });
  });
});

describe("BackendGauges setLoad", () => {
  it("records exactly what setInFlight, setQueue, setBusy, requestStarted and requestCompleted record in a row", () => {
    // The same random load changes into two gauges, one call each or five; every window and the summary equal.
    const rng = Rng.root(3).fork("set-load");
    const one = new BackendGauges({ windowUs: 100 * MS, stateNames: STATES, workers: [4, 8] });
    const five = new BackendGauges({ windowUs: 100 * MS, stateNames: STATES, workers: [4, 8] });
    let now = 0;
    for (let i = 0; i < 2_000; i++) {
      now += rng.int(3) === 0 ? 0 : rng.int(2_000); // a third of the changes at the same instant as the last
      const b = rng.int(2);
      const [inFlight, queue, busy, started, completed] = [rng.int(20), rng.int(50), rng.int(b === 0 ? 5 : 9), rng.int(3), rng.int(3)];
      one.setLoad(b, inFlight, queue, busy, started, completed, now);
      five.setInFlight(b, inFlight, now);
      five.setQueue(b, queue, now);
      five.setBusy(b, busy, now);
      five.requestStarted(b, now, started);
      five.requestCompleted(b, now, completed);
    }
    one.flush(now + 1);
    five.flush(now + 1);
    // About 2,000 x 1 ms / 100 ms = 20 windows; more than one, so window boundaries are crossed.
    expect(one.windowCount).toBeGreaterThan(10);
    for (const b of [0, 1]) {
      expect(one.windows(b)).toEqual(five.windows(b));
      expect(one.summary(b)).toEqual(five.summary(b));
    }
    const fresh = new BackendGauges({ windowUs: 100 * MS, stateNames: STATES, workers: [4] });
    expect(() => fresh.setLoad(0, 1, 1, 5, 0, 0, 0)).toThrow(/5 busy workers but backend 0 has 4/);
    expect(() => fresh.setLoad(0, 1, -1, 0, 0, 0, 0)).toThrow(/queue length/);
  });
});

describe("BackendGauges states", () => {
  it("time in each state sums to the elapsed time, per window and over the run", () => {
    const gauges = new BackendGauges({ windowUs: SECOND, stateNames: STATES, workers: [2, 2] });
    gauges.setState(0, UNHEALTHY, 700 * MS);
    gauges.setState(0, DOWN, 1_200 * MS);
    gauges.setState(0, DRAINING, 2_100 * MS);
    gauges.setState(0, HEALTHY, 2_400 * MS);
    gauges.flush(2_600 * MS);
    const rows = gauges.windows(0);
    expect(rows.map((r) => r.stateUs)).toEqual([
      { healthy: 700 * MS, unhealthy: 300 * MS, draining: 0, down: 0 },
      { healthy: 0, unhealthy: 200 * MS, draining: 0, down: 800 * MS },
      { healthy: 200 * MS, unhealthy: 0, draining: 300 * MS, down: 100 * MS },
    ]);
    for (const row of rows) expect(Object.values(row.stateUs).reduce((a, b) => a + b, 0)).toBe(row.endUs - row.startUs);
    expect(gauges.summary(0).stateUs).toEqual({ healthy: 900 * MS, unhealthy: 500 * MS, draining: 300 * MS, down: 900 * MS });
    expect(gauges.summary(0).presentUs).toBe(2_600 * MS);
    expect(gauges.summary(1).stateUs).toEqual({ healthy: 2_600 * MS, unhealthy: 0, draining: 0, down: 0 });
  });

  it("a backend added part-way accrues time from when it was added, and its means are over that time", () => {
    const gauges = new BackendGauges({ windowUs: SECOND, stateNames: STATES, workers: [1] });
    const added = gauges.addBackend(2, 1_500 * MS, UNHEALTHY);
    expect(added).toBe(1);
    gauges.setInFlight(added, 3, 1_500 * MS);
    gauges.setState(added, HEALTHY, 1_600 * MS);
    gauges.flush(2 * SECOND);
    const rows = gauges.windows(added);
    expect(rows[0]).toMatchObject({ presentUs: 0, meanInFlight: 0, utilisation: 0 });
    expect(rows[1]).toMatchObject({ presentUs: 500 * MS, meanInFlight: 3, maxInFlight: 3 });
    expect(rows[1]!.stateUs).toEqual({ healthy: 400 * MS, unhealthy: 100 * MS, draining: 0, down: 0 });
    expect(() => gauges.setState(added, STATES.length, 2 * SECOND)).toThrow(/state/);
    expect(() => gauges.setInFlight(5, 1, 2 * SECOND)).toThrow(/backend/);
  });
});

describe("BackendGauges bound", () => {
  it("merging rows keeps integrals, counts, maxima and state times exact", () => {
    const gauges = new BackendGauges({ windowUs: 100, maxWindows: 4, stateNames: STATES, workers: [1] });
    // In-flight k during window k (k = 0..5), one request started per window, down during window 3.
    for (let k = 0; k < 6; k++) {
      gauges.setInFlight(0, k, 100 * k);
      if (k === 3) gauges.setState(0, DOWN, 300);
      if (k === 4) gauges.setState(0, HEALTHY, 400);
      gauges.requestStarted(0, 100 * k + 50);
    }
    gauges.flush(600);
    expect(gauges.windowUs).toBe(200);
    const rows = gauges.windows(0);
    expect(rows.map((r) => [r.startUs, r.endUs, r.meanInFlight, r.maxInFlight, r.started])).toEqual([
      [0, 200, 0.5, 1, 2],
      [200, 400, 2.5, 3, 2],
      [400, 600, 4.5, 5, 2],
    ]);
    expect(rows[1]!.stateUs).toEqual({ healthy: 100, unhealthy: 0, draining: 0, down: 100 });
    expect(gauges.summary(0)).toMatchObject({ meanInFlight: 2.5, maxInFlight: 5, started: 6 });
  });

  it("storage depends on the run's length and backends, not on how many changes are recorded", () => {
    // 1M changes in 100 s and then 1M more in the same stretch of time: not one byte more.
    const gauges = new BackendGauges({ windowUs: SECOND, maxWindows: 64, stateNames: STATES, workers: [8, 8, 8] });
    const rng = Rng.root(3).fork("test/gauges-memory");
    let nowUs = 0;
    const change = (): void => {
      nowUs += rng.int(100);
      const backend = rng.int(3);
      gauges.setInFlight(backend, rng.int(50), nowUs);
      gauges.setBusy(backend, rng.int(9), nowUs);
      if (rng.chance(0.001)) gauges.setState(backend, rng.int(STATES.length), nowUs);
    };
    while (nowUs < 100 * SECOND) change();
    const before = gauges.byteLength;
    const windowsBefore = gauges.windowCount;
    for (let i = 0; i < 1_000_000; i++) change();
    // 1M more changes of about 50 us each add about 50 s: still within the rows already allocated.
    expect(gauges.windowCount).toBeLessThanOrEqual(64);
    expect(gauges.byteLength).toBe(before);
    gauges.flush(nowUs);
    expect(gauges.windowCount).toBeGreaterThan(0);
    expect(windowsBefore).toBeLessThanOrEqual(64);
    for (let b = 0; b < 3; b++) expect(gauges.summary(b).presentUs).toBe(nowUs);
  });
});

describe("BackendGauges markers", () => {
  it("stores instants and spans up to the cap and counts the rest as dropped", () => {
    const gauges = new BackendGauges({ windowUs: SECOND, stateNames: STATES, workers: [1, 1], maxMarkers: 3 });
    gauges.mark(0, "gc", 100, 250);
    const hang = gauges.mark(1, "hang", 300);
    gauges.mark(1, "crash", 400);
    expect(gauges.mark(0, "gc", 500, 600)).toBe(-1);
    expect(gauges.mark(0, "restart", 700)).toBe(-1);
    gauges.endMark(hang, 900);
    gauges.endMark(-1, 1_000); // a dropped marker's end is ignored
    expect(gauges.markerList()).toEqual([
      { atUs: 100, endUs: 250, backend: 0, kind: "gc" },
      { atUs: 300, endUs: 900, backend: 1, kind: "hang" },
      { atUs: 400, backend: 1, kind: "crash" },
    ]);
    expect(gauges.markersDropped).toBe(2);
    expect(() => gauges.endMark(hang, 200)).toThrow(/before/);
  });
});
