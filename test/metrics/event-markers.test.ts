// Proves event markers are kept in order up to a fixed cap with fixed storage, dropped ones are counted, and the
// kind vocabulary is bounded.
import { describe, expect, it } from "vitest";
import { EventMarkers, MAX_MARKER_KINDS } from "../../src/metrics/event-markers.js";

describe("EventMarkers", () => {
  it("keeps the first maxMarkers in order, counts the rest, and never grows", () => {
    const markers = new EventMarkers(1_000);
    const bytes = markers.byteLength;
    for (let i = 0; i < 100_000; i++) markers.mark(i % 7, i % 2 === 0 ? "gc" : "crash", i, i % 2 === 0 ? i + 5 : undefined);
    expect(markers.count).toBe(1_000);
    expect(markers.dropped).toBe(99_000);
    expect(markers.byteLength).toBe(bytes);
    const list = markers.list();
    expect(list.length).toBe(1_000);
    expect(list[999]).toEqual({ atUs: 999, backend: 999 % 7, kind: "crash" });
    expect(list[998]).toEqual({ atUs: 998, endUs: 1_003, backend: 998 % 7, kind: "gc" });
  });

  it("refuses an unbounded vocabulary of kinds and spans that end before they start", () => {
    const markers = new EventMarkers(10);
    for (let k = 0; k < MAX_MARKER_KINDS; k++) markers.mark(0, `kind-${k}`, 0);
    expect(() => markers.mark(0, "one-too-many", 0)).toThrow(/kinds/);
    expect(() => new EventMarkers(10).mark(0, "gc", 10, 5)).toThrow(/before/);
  });
});
