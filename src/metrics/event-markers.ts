// Markers for charts: instants and spans on a backend's timeline (a GC pause from start to end, a crash, a hang,
// a restart), drawn over the latency and gauge time series so a reader can see what caused a spike.
//
// Bounded (DESIGN.md invariant 6; TigerBeetle: limits on everything): at most `maxMarkers` are kept, in the order
// they were marked; later ones are counted in `dropped` and not stored, so the first incidents of a run stay
// visible and a chart can say how many were left out. Storage is struct-of-arrays (flatqueue's habit), allocated
// once; kinds are interned to small integers so mark() allocates nothing.
import { invariant } from "../engine/invariant.js";
import type { TimeUs } from "../engine/time.js";

export const DEFAULT_MAX_MARKERS = 10_000;
/** Kinds are a small vocabulary chosen by the model ("gc", "crash", ...); more than this is a programmer error. */
export const MAX_MARKER_KINDS = 256;
/** Returned by mark() when the marker was dropped; endMark() ignores it. */
export const DROPPED_MARKER = -1;

export interface EventMarker {
  atUs: TimeUs;
  /** Present for spans (a GC pause, a hang) once their end is known. */
  endUs?: TimeUs;
  /** Backend index, or -1 for a marker that belongs to no backend. */
  backend: number;
  kind: string;
}

export class EventMarkers {
  readonly maxMarkers: number;
  private readonly atUs: Float64Array;
  private readonly endUs: Float64Array;
  private readonly backend: Int32Array;
  private readonly kindCode: Uint16Array;
  private readonly kindNames: string[] = [];
  private readonly kindCodes = new Map<string, number>();
  private size = 0;
  private droppedCount = 0;

  constructor(maxMarkers: number = DEFAULT_MAX_MARKERS) {
    invariant(Number.isSafeInteger(maxMarkers) && maxMarkers >= 0, `maxMarkers must be a count, got ${maxMarkers}`);
    this.maxMarkers = maxMarkers;
    this.atUs = new Float64Array(maxMarkers);
    this.endUs = new Float64Array(maxMarkers).fill(NaN);
    this.backend = new Int32Array(maxMarkers);
    this.kindCode = new Uint16Array(maxMarkers);
  }

  get count(): number {
    return this.size;
  }

  /** Markers not stored because the list was full. */
  get dropped(): number {
    return this.droppedCount;
  }

  /**
   * Marks an instant, or a span when endUs is given (a GC pause whose length the model drew at its start).
   * Returns the marker's index for endMark(), or DROPPED_MARKER when the list is full.
   */
  mark(backend: number, kind: string, atUs: TimeUs, endUs?: TimeUs): number {
    const code = this.kindCodeOf(kind);
    if (this.size === this.maxMarkers) {
      this.droppedCount++;
      return DROPPED_MARKER;
    }
    invariant(endUs === undefined || endUs >= atUs, "a marker cannot end before it starts");
    const index = this.size++;
    this.atUs[index] = atUs;
    this.endUs[index] = endUs ?? NaN;
    this.backend[index] = backend;
    this.kindCode[index] = code;
    return index;
  }

  /** Ends a span whose end was not known when it was marked (a hang that a restart ended). */
  endMark(index: number, endUs: TimeUs): void {
    if (index === DROPPED_MARKER) return;
    invariant(index >= 0 && index < this.size, `no marker ${index}`);
    invariant(endUs >= this.atUs[index]!, "a marker cannot end before it starts");
    this.endUs[index] = endUs;
  }

  /** The markers, in the order marked. Builds objects: for reports, not for the simulation. */
  list(): EventMarker[] {
    const markers: EventMarker[] = [];
    for (let i = 0; i < this.size; i++) {
      const marker: EventMarker = { atUs: this.atUs[i]!, backend: this.backend[i]!, kind: this.kindNames[this.kindCode[i]!]! };
      const endUs = this.endUs[i]!;
      if (!Number.isNaN(endUs)) marker.endUs = endUs;
      markers.push(marker);
    }
    return markers;
  }

  /** Bytes held; fixed at construction (kind names aside, which are bounded by MAX_MARKER_KINDS). */
  get byteLength(): number {
    return this.atUs.byteLength + this.endUs.byteLength + this.backend.byteLength + this.kindCode.byteLength;
  }

  private kindCodeOf(kind: string): number {
    const known = this.kindCodes.get(kind);
    if (known !== undefined) return known;
    invariant(this.kindNames.length < MAX_MARKER_KINDS, `more than ${MAX_MARKER_KINDS} marker kinds; kinds are a fixed vocabulary`);
    const code = this.kindNames.length;
    this.kindNames.push(kind);
    this.kindCodes.set(kind, code);
    return code;
  }
}
