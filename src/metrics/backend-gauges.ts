// Per-backend gauges as time series: in-flight requests, queue length, busy workers and health/admin state,
// summarised per time window as exact time-weighted means (the integral of value x duration, divided by the time
// the backend existed in the window), maxima, started/completed counts and time spent in each state.
//
// The model drives it with set*(backend, value, nowUs) whenever a value changes. Integrals are kept
// incrementally from the last value and the time it was set, so a window's mean is exact for a step function
// (no sampling): in-flight 2 for 300 ms then 4 for 700 ms has mean (2 * 300 + 4 * 700) / 1000 = 3.4. Everything
// is integer microseconds times integer values, exact in a double up to 2^53.
//
// Memory: per backend, one row of (8 + states) doubles per window, in typed arrays that grow with the run's
// length and are bounded by TimeWindows (maxWindows rows, merged in pairs); nothing is kept per request, and the
// setters allocate nothing. The bound is maxWindows x backends x (8 + states) x 8 bytes: 10,000 windows, 50
// backends and 4 states are 48 MB at most, so a run with many backends may want a smaller maxWindows.
import { InvariantError, invariant } from "../engine/invariant.js";
import type { TimeUs } from "../engine/time.js";
import { EventMarkers, type EventMarker } from "./event-markers.js";
import { growFloat64, TimeWindows, type TimeWindowsOptions } from "./time-windows.js";

export interface BackendGaugesOptions extends TimeWindowsOptions {
  /** Names of the health/admin states, by code: e.g. ["healthy", "unhealthy", "draining", "down"]. */
  stateNames: readonly string[];
  /** Worker count of each backend present at the start of the run (its length is the backend count). */
  workers: readonly number[];
  /** The state code backends start in. Default 0. */
  initialState?: number;
  /** Cap on stored event markers (GC pauses, crashes, ...). Default 10,000. */
  maxMarkers?: number;
}

/** Gauges of one backend over one window, or over the whole run (summary). */
export interface BackendWindow {
  startUs: TimeUs;
  endUs: TimeUs;
  /** Time the backend existed within [startUs, endUs): less than the window for a backend added part-way. */
  presentUs: TimeUs;
  meanInFlight: number;
  maxInFlight: number;
  meanQueue: number;
  maxQueue: number;
  /** Busy-worker time over worker time (time-weighted busy / workers). */
  utilisation: number;
  started: number;
  completed: number;
  /** Time spent in each state, by state name; sums to presentUs. */
  stateUs: Record<string, TimeUs>;
}

// Columns of a row. *_US columns are integrals (value x microseconds); *_MAX columns merge by max, others add.
const IN_FLIGHT_US = 0;
const IN_FLIGHT_MAX = 1;
const QUEUE_US = 2;
const QUEUE_MAX = 3;
const BUSY_US = 4;
const WORKERS_US = 5;
const STARTED = 6;
const COMPLETED = 7;
const STATE_US = 8; // then one column per state

/** One backend's current values and accumulators. */
class Track {
  inFlight = 0;
  queue = 0;
  busy = 0;
  state: number;
  lastUs: TimeUs;
  /** The open window's accumulators: one row. */
  readonly open: Float64Array;
  /** Whole-run totals of closed windows: one row. */
  readonly total: Float64Array;
  /** Closed rows, row-major. */
  rows: Float64Array;

  constructor(
    public workers: number,
    state: number,
    nowUs: TimeUs,
    stride: number,
    capacity: number,
  ) {
    this.state = state;
    this.lastUs = nowUs;
    this.open = new Float64Array(stride);
    this.total = new Float64Array(stride);
    this.rows = new Float64Array(capacity * stride);
  }

  /** Adds value x elapsed time for every gauge since the last change, up to nowUs. */
  integrate(nowUs: TimeUs): void {
    const dt = nowUs - this.lastUs;
    if (dt === 0) return;
    const open = this.open;
    open[IN_FLIGHT_US]! += this.inFlight * dt;
    open[QUEUE_US]! += this.queue * dt;
    open[BUSY_US]! += this.busy * dt;
    open[WORKERS_US]! += this.workers * dt;
    open[STATE_US + this.state]! += dt;
    this.lastUs = nowUs;
  }
}

export class BackendGauges {
  readonly stateNames: readonly string[];
  private readonly stride: number;
  private readonly initialState: number;
  private readonly tracks: Track[] = [];
  private readonly grid: TimeWindows;
  private readonly markers: EventMarkers;

  constructor(options: BackendGaugesOptions) {
    const { stateNames, workers, initialState = 0, maxMarkers, ...windows } = options;
    invariant(stateNames.length > 0, "at least one backend state name is needed");
    invariant(initialState >= 0 && initialState < stateNames.length, `initial state ${initialState} has no name`);
    this.stateNames = [...stateNames];
    this.stride = STATE_US + stateNames.length;
    this.initialState = initialState;
    this.markers = new EventMarkers(maxMarkers);
    this.grid = new TimeWindows(windows, {
      closeWindow: (row, _startUs, endUs) => this.closeWindow(row, endUs),
      mergePairs: (rows) => this.mergePairs(rows),
      openWindowHasData: () => this.tracks.some((track) => track.open[STARTED]! + track.open[COMPLETED]! > 0),
    });
    for (const count of workers) this.addBackend(count, this.grid.openWindowStartUs);
  }

  get backendCount(): number {
    return this.tracks.length;
  }

  get windowCount(): number {
    return this.grid.rowCount;
  }

  /** Current window length (doubles each time the rows are merged to stay within maxWindows). */
  get windowUs(): TimeUs {
    return this.grid.windowUs;
  }

  /** Adds a backend at nowUs (scale-out), idle, in `state`; returns its index. */
  addBackend(workers: number, nowUs: TimeUs, state: number = this.initialState): number {
    requireCount("workers", workers);
    this.requireState(state);
    this.grid.advance(nowUs);
    this.tracks.push(new Track(workers, state, nowUs, this.stride, this.grid.capacity));
    return this.tracks.length - 1;
  }

  setInFlight(backend: number, inFlight: number, nowUs: TimeUs): void {
    requireCount("in-flight", inFlight);
    setInFlight(this.advance(backend, nowUs), inFlight);
  }

  setQueue(backend: number, queue: number, nowUs: TimeUs): void {
    requireCount("queue length", queue);
    setQueue(this.advance(backend, nowUs), queue);
  }

  setBusy(backend: number, busyWorkers: number, nowUs: TimeUs): void {
    requireCount("busy workers", busyWorkers);
    setBusy(this.advance(backend, nowUs), backend, busyWorkers);
  }

  /**
   * A backend's load at nowUs in one call: setInFlight, setQueue and setBusy, then requestStarted(started) and
   * requestCompleted(completed), with one window check and one integration instead of five. The model reports
   * after every change that starts or ends service, a few times per request, so this is on the hot path.
   */
  setLoad(backend: number, inFlight: number, queue: number, busyWorkers: number, started: number, completed: number, nowUs: TimeUs): void {
    requireCount("in-flight", inFlight);
    requireCount("queue length", queue);
    requireCount("busy workers", busyWorkers);
    requireCount("requests started", started);
    requireCount("requests completed", completed);
    const track = this.advance(backend, nowUs);
    setInFlight(track, inFlight);
    setQueue(track, queue);
    setBusy(track, backend, busyWorkers);
    track.open[STARTED]! += started;
    track.open[COMPLETED]! += completed;
  }

  /** Changes a backend's worker count (the denominator of utilisation), e.g. when it restarts smaller. */
  setWorkers(backend: number, workers: number, nowUs: TimeUs): void {
    requireCount("workers", workers);
    const track = this.advance(backend, nowUs);
    if (track.busy > workers) throw new InvariantError(`${track.busy} busy workers but backend ${backend} would have ${workers}`);
    track.workers = workers;
  }

  setState(backend: number, stateCode: number, nowUs: TimeUs): void {
    this.requireState(stateCode);
    this.advance(backend, nowUs).state = stateCode;
  }

  /** Counts `count` requests (1 by default) that began service on the backend now. */
  requestStarted(backend: number, nowUs: TimeUs, count = 1): void {
    this.advance(backend, nowUs).open[STARTED]! += count;
  }

  /** Counts `count` requests (1 by default) that the backend finished serving now. */
  requestCompleted(backend: number, nowUs: TimeUs, count = 1): void {
    this.advance(backend, nowUs).open[COMPLETED]! += count;
  }

  /**
   * Marks an event on a backend's timeline for charts: an instant ("crash"), or a span when endUs is known
   * ("gc" with the pause the model drew). Returns the marker index for endMark(), or -1 if it was dropped.
   */
  mark(backend: number, kind: string, nowUs: TimeUs, endUs?: TimeUs): number {
    return this.markers.mark(backend, kind, nowUs, endUs);
  }

  /** Ends a span marked earlier without an end (a hang, ended by a restart). */
  endMark(index: number, endUs: TimeUs): void {
    this.markers.endMark(index, endUs);
  }

  /** Closes every window up to nowUs, the last one partial (see TimeWindows.flush). Call once, at the end of the run. */
  flush(nowUs: TimeUs): void {
    this.grid.flush(nowUs);
  }

  /** One backend's closed windows, oldest first. Builds objects: for reports, not for the simulation. */
  windows(backend: number): BackendWindow[] {
    const track = this.track(backend);
    const rows: BackendWindow[] = [];
    for (let row = 0; row < this.grid.rowCount; row++) {
      const values = track.rows.subarray(row * this.stride, (row + 1) * this.stride);
      rows.push(this.describe(values, this.grid.startUs(row), this.grid.endUs(row)));
    }
    return rows;
  }

  /** One backend over every closed window: whole-run means, maxima, counts and time in each state. */
  summary(backend: number): BackendWindow {
    const rows = this.grid.rowCount;
    const startUs = rows === 0 ? this.grid.openWindowStartUs : this.grid.startUs(0);
    const endUs = rows === 0 ? startUs : this.grid.endUs(rows - 1);
    return this.describe(this.track(backend).total, startUs, endUs);
  }

  markerList(): EventMarker[] {
    return this.markers.list();
  }

  get markersDropped(): number {
    return this.markers.dropped;
  }

  /** Bytes held in typed arrays, for tests and benchmarks that check memory stays flat. */
  get byteLength(): number {
    let bytes = this.markers.byteLength;
    for (const track of this.tracks) bytes += track.rows.byteLength + track.open.byteLength + track.total.byteLength;
    return bytes;
  }

  /** Closes windows up to nowUs and brings the backend's integrals up to nowUs, before a value changes. */
  private advance(backend: number, nowUs: TimeUs): Track {
    const track = this.track(backend);
    this.grid.advance(nowUs);
    track.integrate(nowUs);
    return track;
  }

  private track(backend: number): Track {
    const track = this.tracks[backend];
    if (track === undefined) throw new InvariantError(`unknown backend index ${backend}`);
    return track;
  }

  private closeWindow(row: number, endUs: TimeUs): void {
    const stride = this.stride;
    for (const track of this.tracks) {
      track.integrate(endUs);
      if ((row + 1) * stride > track.rows.length) track.rows = growFloat64(track.rows, this.grid.capacity * stride);
      const open = track.open;
      track.rows.set(open, row * stride);
      for (let c = 0; c < stride; c++) {
        track.total[c] = isMaxColumn(c) ? Math.max(track.total[c]!, open[c]!) : track.total[c]! + open[c]!;
      }
      // The values carry over into the next window: its maxima start from them.
      open.fill(0);
      open[IN_FLIGHT_MAX] = track.inFlight;
      open[QUEUE_MAX] = track.queue;
    }
  }

  private mergePairs(rowCount: number): void {
    const stride = this.stride;
    for (const track of this.tracks) {
      const rows = track.rows;
      for (let k = 0; k < rowCount / 2; k++) {
        const a = 2 * k * stride;
        const b = a + stride;
        for (let c = 0; c < stride; c++) {
          rows[k * stride + c] = isMaxColumn(c) ? Math.max(rows[a + c]!, rows[b + c]!) : rows[a + c]! + rows[b + c]!;
        }
      }
      rows.fill(0, (rowCount / 2) * stride);
    }
  }

  private describe(values: Float64Array, startUs: TimeUs, endUs: TimeUs): BackendWindow {
    const stateUs: Record<string, TimeUs> = {};
    let presentUs = 0;
    this.stateNames.forEach((name, code) => {
      const timeUs = values[STATE_US + code]!;
      stateUs[name] = timeUs;
      presentUs += timeUs;
    });
    const per = (integral: number, overUs: number): number => (overUs === 0 ? 0 : integral / overUs);
    return {
      startUs,
      endUs,
      presentUs,
      meanInFlight: per(values[IN_FLIGHT_US]!, presentUs),
      maxInFlight: values[IN_FLIGHT_MAX]!,
      meanQueue: per(values[QUEUE_US]!, presentUs),
      maxQueue: values[QUEUE_MAX]!,
      utilisation: per(values[BUSY_US]!, values[WORKERS_US]!),
      started: values[STARTED]!,
      completed: values[COMPLETED]!,
      stateUs,
    };
  }

  private requireState(code: number): void {
    if (!(Number.isInteger(code) && code >= 0 && code < this.stateNames.length)) {
      throw new InvariantError(`unknown backend state code ${code}; known: ${this.stateNames.join(", ")}`);
    }
  }
}

function setInFlight(track: Track, inFlight: number): void {
  track.inFlight = inFlight;
  if (inFlight > track.open[IN_FLIGHT_MAX]!) track.open[IN_FLIGHT_MAX] = inFlight;
}

function setQueue(track: Track, queue: number): void {
  track.queue = queue;
  if (queue > track.open[QUEUE_MAX]!) track.open[QUEUE_MAX] = queue;
}

function setBusy(track: Track, backend: number, busyWorkers: number): void {
  if (busyWorkers > track.workers) throw new InvariantError(`${busyWorkers} busy workers but backend ${backend} has ${track.workers}`);
  track.busy = busyWorkers;
}

function isMaxColumn(column: number): boolean {
  return column === IN_FLIGHT_MAX || column === QUEUE_MAX;
}

function requireCount(what: string, value: number): void {
  if (!(Number.isSafeInteger(value) && value >= 0)) throw new InvariantError(`${what} must be a count >= 0, got ${value}`);
}
