// Fixed-length time windows for the metrics time series, with a bound on how many are kept.
//
// Windows are aligned to an origin: window k covers [originUs + k * lengthUs, originUs + (k + 1) * lengthUs).
// The open window closes lazily, when something happens at or after its end (and every empty window in between
// closes too, so a quiet stretch shows as rows of zeros rather than a gap), or explicitly at the end of a run by
// flush(nowUs), which closes the last, usually partial, window at nowUs.
//
// The bound (DESIGN.md invariant 6): at most `maxWindows` rows are kept. When closing a window fills the last
// row, adjacent rows are merged in pairs (rows 2k and 2k+1 become row k) and the window length doubles, so the
// rows keep covering the whole run with no gap and the next open window starts on the new, coarser grid. Memory
// therefore depends on neither the number of requests nor the run's length, and the resolution of a long run is
// the coarsest that fits: a 1 s window and 10,000 rows keep 1 s resolution up to 2.8 hours of simulated time,
// 2 s up to 5.6 hours, and so on. Owners store their own columns and merge them when asked (sums add, maxima
// take the larger); this class only keeps the clock and the row boundaries.
import { invariant, InvariantError } from "../engine/invariant.js";
import type { TimeUs } from "../engine/time.js";

export const DEFAULT_MAX_WINDOWS = 10_000;

/** What an owner of per-window columns does when the windows move on. Called rarely: never per record. */
export interface WindowSink {
  /** Summarise the open window [startUs, endUs) into row `row`, then reset the open window's accumulators. */
  closeWindow(row: number, startUs: TimeUs, endUs: TimeUs): void;
  /** Merge rows 2k and 2k+1 into row k for every k < rowCount / 2 (rowCount is even). */
  mergePairs(rowCount: number): void;
  /** Whether anything was recorded in the open window (so that flush at its very start still keeps it). */
  openWindowHasData(): boolean;
}

export interface TimeWindowsOptions {
  /** Length of one window at the start of the run, e.g. seconds(1). Doubles each time the rows are merged. */
  windowUs: TimeUs;
  /** The most rows kept; must be even so that rows merge in pairs. Default 10,000. */
  maxWindows?: number;
  /** Start of the first window (the start of the run). Default 0. */
  originUs?: TimeUs;
}

export class TimeWindows {
  /** End of the open window. Read on the hot path: anything at or after it closes the open window first. */
  openEndUs: TimeUs;
  private openStartUs: TimeUs;
  private lengthUs: TimeUs;
  private rows = 0;
  private merges = 0;
  private flushedAtUs = -1;
  private rowStartUs: Float64Array;
  private rowEndUs: Float64Array;
  readonly maxWindows: number;

  constructor(options: TimeWindowsOptions, private readonly sink: WindowSink) {
    const { windowUs, maxWindows = DEFAULT_MAX_WINDOWS, originUs = 0 } = options;
    invariant(Number.isSafeInteger(windowUs) && windowUs > 0, `window length must be a positive integer of us, got ${windowUs}`);
    invariant(Number.isSafeInteger(maxWindows) && maxWindows >= 2 && maxWindows % 2 === 0,
      `maxWindows must be an even integer >= 2 (rows merge in pairs), got ${maxWindows}`);
    invariant(Number.isSafeInteger(originUs), `origin must be an integer of us, got ${originUs}`);
    this.maxWindows = maxWindows;
    this.lengthUs = windowUs;
    this.openStartUs = originUs;
    this.openEndUs = originUs + windowUs;
    const initial = Math.min(maxWindows, 64);
    this.rowStartUs = new Float64Array(initial);
    this.rowEndUs = new Float64Array(initial);
  }

  /** Closed rows kept so far. */
  get rowCount(): number {
    return this.rows;
  }

  /** The current window length: the initial length times 2 per merge. */
  get windowUs(): TimeUs {
    return this.lengthUs;
  }

  /** How many times the rows were merged in pairs (the window length doubled). */
  get mergeCount(): number {
    return this.merges;
  }

  /** Start of the open window: the time every later call must be at or after. */
  get openWindowStartUs(): TimeUs {
    return this.openStartUs;
  }

  /** Row capacity allocated so far; grows by doubling up to maxWindows, with the run's length, never per record. */
  get capacity(): number {
    return this.rowStartUs.length;
  }

  get flushed(): boolean {
    return this.flushedAtUs >= 0;
  }

  startUs(row: number): TimeUs {
    return this.rowStartUs[row]!;
  }

  endUs(row: number): TimeUs {
    return this.rowEndUs[row]!;
  }

  /** Closes every window that ended at or before nowUs. Cheap when nothing closes: one comparison. */
  advance(nowUs: TimeUs): void {
    // Plain ifs rather than invariant(cond, () => message): no closure is created on the hot path.
    if (nowUs < this.openEndUs) {
      if (nowUs < this.openStartUs || this.flushedAtUs >= 0) throw new InvariantError(this.lateMessage(nowUs));
      return;
    }
    if (this.flushedAtUs >= 0) throw new InvariantError(this.lateMessage(nowUs));
    while (nowUs >= this.openEndUs) this.close(this.openEndUs);
  }

  /**
   * Closes every window up to nowUs, the last one partial, ending at nowUs. Things recorded at nowUs itself (the
   * run's horizon) belong to that last row, so it is the one row whose end is inclusive; when nowUs falls on a
   * boundary and something was recorded there, the last row is [nowUs, nowUs]. Called once, at the end of a
   * run; calling it again at the same time is harmless, and anything recorded later is an error.
   */
  flush(nowUs: TimeUs): void {
    if (this.flushedAtUs >= 0 && nowUs === this.flushedAtUs) return;
    this.advance(nowUs);
    if (nowUs > this.openStartUs || this.sink.openWindowHasData()) this.close(nowUs);
    this.flushedAtUs = nowUs;
  }

  private close(endUs: TimeUs): void {
    const row = this.rows;
    if (row === this.rowStartUs.length) this.grow();
    this.rowStartUs[row] = this.openStartUs;
    this.rowEndUs[row] = endUs;
    this.sink.closeWindow(row, this.openStartUs, endUs);
    this.rows = row + 1;
    if (this.rows === this.maxWindows) this.mergePairs();
    this.openStartUs = endUs;
    this.openEndUs = endUs + this.lengthUs;
  }

  private mergePairs(): void {
    const rows = this.rows;
    for (let k = 0; k < rows / 2; k++) {
      this.rowStartUs[k] = this.rowStartUs[2 * k]!;
      this.rowEndUs[k] = this.rowEndUs[2 * k + 1]!;
    }
    this.sink.mergePairs(rows);
    this.rows = rows / 2;
    this.lengthUs *= 2;
    this.merges++;
  }

  private grow(): void {
    const capacity = Math.min(this.maxWindows, this.rowStartUs.length * 2);
    this.rowStartUs = growFloat64(this.rowStartUs, capacity);
    this.rowEndUs = growFloat64(this.rowEndUs, capacity);
  }

  private lateMessage(nowUs: TimeUs): string {
    return this.flushedAtUs >= 0
      ? `metrics were flushed at ${this.flushedAtUs}us; nothing can be recorded at ${nowUs}us`
      : `time went backwards: ${nowUs}us is before the open window, which starts at ${this.openStartUs}us`;
  }
}

/** A copy of `array` with room for `length` elements (the rest zero). Used when row capacity doubles. */
export function growFloat64(array: Float64Array, length: number): Float64Array<ArrayBuffer> {
  const grown = new Float64Array(length);
  grown.set(array.subarray(0, Math.min(array.length, length)));
  return grown;
}
