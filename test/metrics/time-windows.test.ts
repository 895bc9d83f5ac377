// Proves time windows are aligned to the origin, close lazily (empty ones included), flush a partial last row,
// stay within maxWindows by merging pairs into contiguous doubled rows, and refuse time going backwards.
import { describe, expect, it } from "vitest";
import { TimeWindows, type WindowSink } from "../../src/metrics/time-windows.js";

/** A sink that logs what the windows asked of it. */
function logSink(): WindowSink & { closed: Array<[number, number, number]>; merges: number[]; data: boolean } {
  const sink = {
    closed: [] as Array<[number, number, number]>,
    merges: [] as number[],
    data: false,
    closeWindow(row: number, startUs: number, endUs: number) {
      sink.closed.push([row, startUs, endUs]);
      sink.data = false;
    },
    mergePairs(rowCount: number) {
      sink.merges.push(rowCount);
    },
    openWindowHasData() {
      return sink.data;
    },
  };
  return sink;
}

function rows(windows: TimeWindows): Array<[number, number]> {
  return Array.from({ length: windows.rowCount }, (_, r) => [windows.startUs(r), windows.endUs(r)] as [number, number]);
}

describe("TimeWindows", () => {
  it("closes nothing inside the open window, and every window (empty ones too) when time jumps past it", () => {
    const sink = logSink();
    const windows = new TimeWindows({ windowUs: 100, originUs: 1_000 }, sink);
    windows.advance(1_000);
    windows.advance(1_099);
    expect(sink.closed).toEqual([]);
    windows.advance(1_350); // closes [1000,1100), [1100,1200), [1200,1300); [1300,1400) is open
    expect(sink.closed).toEqual([[0, 1_000, 1_100], [1, 1_100, 1_200], [2, 1_200, 1_300]]);
    expect(windows.openWindowStartUs).toBe(1_300);
  });

  it("flushes a partial last row ending at the flush time, and none when the flush falls on an empty boundary", () => {
    const sink = logSink();
    const windows = new TimeWindows({ windowUs: 100 }, sink);
    windows.flush(250);
    expect(rows(windows)).toEqual([[0, 100], [100, 200], [200, 250]]);
    windows.flush(250); // the same time again is harmless
    expect(windows.rowCount).toBe(3);

    const onBoundary = new TimeWindows({ windowUs: 100 }, logSink());
    onBoundary.flush(200);
    expect(rows(onBoundary)).toEqual([[0, 100], [100, 200]]);
  });

  it("keeps a zero-length last row when something was recorded exactly at a boundary flush time", () => {
    const sink = logSink();
    const windows = new TimeWindows({ windowUs: 100 }, sink);
    windows.advance(200);
    sink.data = true;
    windows.flush(200);
    expect(rows(windows)).toEqual([[0, 100], [100, 200], [200, 200]]);
  });

  it("merges pairs and doubles the length when the rows reach maxWindows, keeping rows contiguous", () => {
    const sink = logSink();
    const windows = new TimeWindows({ windowUs: 10, maxWindows: 4 }, sink);
    windows.advance(40); // closes 4 windows of 10 -> merged into 2 of 20
    expect(sink.merges).toEqual([4]);
    expect(windows.windowUs).toBe(20);
    expect(rows(windows)).toEqual([[0, 20], [20, 40]]);
    windows.advance(80); // closes [40,60), [60,80) -> 4 rows -> merged into [0,40), [40,80)
    expect(rows(windows)).toEqual([[0, 40], [40, 80]]);
    expect(windows.windowUs).toBe(40);
    windows.flush(95);
    expect(rows(windows)).toEqual([[0, 40], [40, 80], [80, 95]]);
    expect(windows.mergeCount).toBe(2);
  });

  it("never keeps more than maxWindows rows, whatever the run's length", () => {
    const windows = new TimeWindows({ windowUs: 1_000_000, maxWindows: 100 }, logSink());
    for (let t = 0; t <= 3_600_000_000; t += 7_000_000) windows.advance(t);
    windows.flush(3_600_000_000);
    expect(windows.rowCount).toBeLessThanOrEqual(100);
    expect(windows.capacity).toBeLessThanOrEqual(100);
    // 3600 s in at most 100 rows: the length doubled from 1 s to 64 s (3600 / 64 = 56.25 rows).
    expect(windows.windowUs).toBe(64_000_000);
    expect(windows.startUs(0)).toBe(0);
    expect(windows.endUs(windows.rowCount - 1)).toBe(3_600_000_000);
    for (let r = 1; r < windows.rowCount; r++) expect(windows.startUs(r)).toBe(windows.endUs(r - 1));
  });

  it("refuses time going backwards, records after a flush, and odd or tiny bounds", () => {
    const windows = new TimeWindows({ windowUs: 100 }, logSink());
    windows.advance(250);
    expect(() => windows.advance(150)).toThrow(/backwards/);
    windows.flush(260);
    expect(() => windows.advance(270)).toThrow(/flushed/);
    expect(() => windows.advance(260)).toThrow(/flushed/);
    expect(() => new TimeWindows({ windowUs: 100, maxWindows: 5 }, logSink())).toThrow(/even/);
    expect(() => new TimeWindows({ windowUs: 0 }, logSink())).toThrow(/positive/);
  });
});
