// Latency of every settled request, in integer microseconds: over the whole run, per outcome, per backend, of
// failed requests together, and per time window, for the latency-over-time charts. A window's percentiles, mean
// and max are of its successful requests, as the summary's `latencyMs` is; its failed requests (every loss
// cause) have their own p50, p99 and max beside them, as the summary's `failedLatencyMs` has. Mixing the two
// would put 5 s timeouts into a chart of successful requests.
//
// Memory does not grow with the number of requests (DESIGN.md invariant 6). The histograms are HdrHistograms,
// whose size depends on the range of values, not on how many were recorded; the open window has one reusable
// histogram, summarised into a fixed-size row and reset when the window closes; rows are columns of typed arrays
// that grow with the run's length and are bounded by TimeWindows (at most maxWindows rows, merged in pairs).
// record() allocates nothing: it is called once per request, millions of times a run.
//
// A request is recorded into as few histograms as the figures need: its outcome's, its backend's (when it had
// one) and its window's. The whole run's and the failed requests' histograms are sums of outcome histograms,
// built by summary() (HdrHistograms of one configuration add exactly: the sum reports what one histogram of
// every value would), so they cost nothing per request; recording into them as well was a quarter of the
// recorder's cost on the full-model benchmark.
//
// A row's percentiles come from the window's histograms (3 significant digits: within 0.1%). Its count, outcome
// counts, mean and max are exact: they are kept beside the histograms. When rows merge, counts, sums and maxima
// merge exactly; percentiles cannot be merged from summaries, so a merged row reports the larger of the two
// rows' percentiles. That is an upper bound (a quantile of the union lies between the two rows' quantiles), so
// merging never hides a latency spike; the rows recorded after the merge, at the doubled length, are exact again.
import { InvariantError, invariant } from "../engine/invariant.js";
import type { TimeUs } from "../engine/time.js";
import { createHistogram, summarize, valueAtPercentile, type Histogram, type LatencySummary } from "./histogram.js";
import { OUTCOME, OUTCOMES, OUTCOME_COUNT, type Outcome } from "./ledger.js";
import { growFloat64, TimeWindows, type TimeWindowsOptions } from "./time-windows.js";

/** Passed as the backend index when a request settled without reaching a backend (e.g. no healthy upstream). */
export const NO_BACKEND = -1;

const UNFINISHED = OUTCOME.unfinished;
const OK = OUTCOME.ok;

export interface LatencyRecorderOptions extends TimeWindowsOptions {
  /** Backends at the start of the run; addBackend() adds more (scale-out). Default 0. */
  backends?: number;
}

/** One closed window of the latency time series. */
export interface LatencyWindow {
  startUs: TimeUs;
  endUs: TimeUs;
  count: number;
  ok: number;
  /** Settled with a loss cause: count - ok - unfinished, as the ledger counts `lost`. */
  failed: number;
  /** Count by outcome index (ledger.ts OUTCOMES), ok included; always OUTCOME_COUNT long. */
  outcomes: number[];
  /** Percentiles, max and mean of the window's successful requests (0 when it had none). */
  p50Us: number;
  p90Us: number;
  p99Us: number;
  p999Us: number;
  maxUs: number;
  meanUs: number;
  /** Percentiles and max of the window's failed requests, every loss cause together (0 when it had none). */
  failedP50Us: number;
  failedP99Us: number;
  failedMaxUs: number;
}

export interface LatencyRecorderSummary {
  overall: LatencySummary;
  /** Every loss cause together (not unfinished): how long users waited for a failure. */
  failed: LatencySummary;
  byOutcome: Record<Outcome, LatencySummary>;
  byBackend: LatencySummary[];
}

/** What the recorder holds, for tests and benchmarks that check memory stays flat. */
export interface LatencyRecorderFootprint {
  rows: number;
  rowCapacity: number;
  windowUs: TimeUs;
  merges: number;
  /** Bytes in the row columns (typed arrays). */
  rowBytes: number;
  /** HdrHistogram's own (conservatively high) estimate, summed over every histogram. */
  histogramBytes: number;
  histograms: number;
}

// Row columns, one Float64Array each; outcome counts are a further OUTCOME_COUNT-strided array. SUM and MAX
// are of successful requests, like the percentiles.
const SUM = 0;
const MAX = 1;
const P50 = 2;
const P90 = 3;
const P99 = 4;
const P999 = 5;
const FAILED_P50 = 6;
const FAILED_P99 = 7;
const FAILED_MAX = 8;
const COLUMNS = 9;
const MAX_COLUMNS = [MAX, P50, P90, P99, P999, FAILED_P50, FAILED_P99, FAILED_MAX] as const;

export class LatencyRecorder {
  private readonly byOutcome: Histogram[] = [];
  private readonly byBackend: Histogram[] = [];
  private readonly window: Histogram;
  private readonly windowFailed: Histogram;
  private readonly grid: TimeWindows;
  // The open window's exact tallies, beside its histogram.
  private readonly openOutcomes = new Float64Array(OUTCOME_COUNT);
  private openCount = 0;
  private openOkSumUs = 0;
  private openOkMaxUs = 0;
  private openFailedMaxUs = 0;
  // Closed rows.
  private rowCount = new Float64Array(0);
  private rowOutcomes = new Float64Array(0);
  private readonly rowColumns: Float64Array[] = [];
  private destroyed = false;

  constructor(options: LatencyRecorderOptions) {
    const { backends = 0, ...windows } = options;
    invariant(Number.isSafeInteger(backends) && backends >= 0, `backends must be a count, got ${backends}`);
    this.grid = new TimeWindows(windows, {
      closeWindow: (row, startUs, endUs) => this.closeWindow(row, startUs, endUs),
      mergePairs: (rows) => this.mergePairs(rows),
      openWindowHasData: () => this.openCount > 0,
    });
    for (let c = 0; c < COLUMNS; c++) this.rowColumns.push(new Float64Array(0));
    this.window = createHistogram();
    this.windowFailed = createHistogram();
    for (let o = 0; o < OUTCOME_COUNT; o++) this.byOutcome.push(createHistogram());
    for (let b = 0; b < backends; b++) this.addBackend();
  }

  get backendCount(): number {
    return this.byBackend.length;
  }

  /** Current window length (doubles each time the rows are merged to stay within maxWindows). */
  get windowUs(): TimeUs {
    return this.grid.windowUs;
  }

  /** Adds a backend (scale-out) and returns its index. */
  addBackend(): number {
    this.byBackend.push(createHistogram());
    return this.byBackend.length - 1;
  }

  /**
   * Records one settled request: its latency, its outcome index (ledger.ts OUTCOME), the backend that served it
   * or NO_BACKEND, and the simulated time it settled (which picks its window; time never goes backwards).
   */
  record(latencyUs: number, outcomeIndex: number, backendIndex: number, nowUs: TimeUs): void {
    const outcomeHistogram = this.byOutcome[outcomeIndex];
    if (outcomeHistogram === undefined) throw new InvariantError(`unknown outcome index ${outcomeIndex}`);
    if (!(latencyUs >= 0)) throw new InvariantError(`latency must be >= 0us, got ${latencyUs}`);
    const backendHistogram = backendIndex === NO_BACKEND ? undefined : this.byBackend[backendIndex];
    if (backendHistogram === undefined && backendIndex !== NO_BACKEND) {
      throw new InvariantError(`unknown backend index ${backendIndex}`);
    }
    this.grid.advance(nowUs);
    this.openOutcomes[outcomeIndex]!++;
    this.openCount++;
    if (outcomeIndex === UNFINISHED) return; // no answer yet: no latency to speak of
    backendHistogram?.recordValue(latencyUs);
    outcomeHistogram.recordValue(latencyUs);
    if (outcomeIndex === OK) {
      this.window.recordValue(latencyUs);
      this.openOkSumUs += latencyUs;
      if (latencyUs > this.openOkMaxUs) this.openOkMaxUs = latencyUs;
    } else {
      this.windowFailed.recordValue(latencyUs);
      if (latencyUs > this.openFailedMaxUs) this.openFailedMaxUs = latencyUs;
    }
  }

  /** Closes every window up to nowUs, the last one partial (see TimeWindows.flush). Call once, at the end of the run. */
  flush(nowUs: TimeUs): void {
    this.grid.flush(nowUs);
  }

  /** Closed windows, oldest first. Builds objects: call it for reports, not from the simulation. */
  windows(): LatencyWindow[] {
    const rows: LatencyWindow[] = [];
    for (let row = 0; row < this.grid.rowCount; row++) rows.push(this.windowRow(row));
    return rows;
  }

  windowRow(row: number): LatencyWindow {
    invariant(row >= 0 && row < this.grid.rowCount, `no window row ${row}`);
    const column = (c: number): number => this.rowColumns[c]![row]!;
    const count = this.rowCount[row]!;
    const outcomes = Array.from(this.rowOutcomes.subarray(row * OUTCOME_COUNT, (row + 1) * OUTCOME_COUNT));
    const ok = outcomes[OUTCOME.ok]!;
    return {
      startUs: this.grid.startUs(row),
      endUs: this.grid.endUs(row),
      count,
      ok,
      failed: count - ok - outcomes[UNFINISHED]!,
      outcomes,
      p50Us: column(P50),
      p90Us: column(P90),
      p99Us: column(P99),
      p999Us: column(P999),
      maxUs: column(MAX),
      meanUs: ok === 0 ? 0 : column(SUM) / ok,
      failedP50Us: column(FAILED_P50),
      failedP99Us: column(FAILED_P99),
      failedMaxUs: column(FAILED_MAX),
    };
  }

  /** The histogram of one outcome, for distributions (read it before destroy()). */
  histogramOf(outcomeIndex: number): Histogram {
    return this.byOutcome[outcomeIndex]!;
  }

  summary(): LatencyRecorderSummary {
    const byOutcome = Object.fromEntries(
      OUTCOMES.map((name, o) => [name, summarize(this.byOutcome[o]!)]),
    ) as Record<Outcome, LatencySummary>;
    // The whole run: every outcome (unfinished records none). Failed: every outcome but ok.
    const overall = createHistogram();
    const failed = createHistogram();
    for (let o = 0; o < OUTCOME_COUNT; o++) {
      overall.add(this.byOutcome[o]!);
      if (o !== OK) failed.add(this.byOutcome[o]!);
    }
    return { overall: summarize(overall), failed: summarize(failed), byOutcome, byBackend: this.byBackend.map(summarize) };
  }

  footprint(): LatencyRecorderFootprint {
    const histograms = this.histograms();
    let rowBytes = this.rowCount.byteLength + this.rowOutcomes.byteLength;
    for (const column of this.rowColumns) rowBytes += column.byteLength;
    return {
      rows: this.grid.rowCount,
      rowCapacity: this.rowCount.length,
      windowUs: this.grid.windowUs,
      merges: this.grid.mergeCount,
      rowBytes,
      histogramBytes: histograms.reduce((sum, h) => sum + h.estimatedFootprintInBytes, 0),
      histograms: histograms.length,
    };
  }

  /** Frees every histogram (WebAssembly memory is outside the JS heap). The recorder is unusable afterwards. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const histogram of this.histograms()) histogram.destroy();
  }

  private histograms(): Histogram[] {
    return [this.window, this.windowFailed, ...this.byOutcome, ...this.byBackend];
  }

  private closeWindow(row: number, _startUs: TimeUs, _endUs: TimeUs): void {
    if (row >= this.rowCount.length) this.growRows(this.grid.capacity);
    this.rowCount[row] = this.openCount;
    this.rowOutcomes.set(this.openOutcomes, row * OUTCOME_COUNT);
    const ok = this.window.totalCount === 0 ? undefined : this.window;
    const failed = this.windowFailed.totalCount === 0 ? undefined : this.windowFailed;
    const columns = this.rowColumns;
    columns[SUM]![row] = this.openOkSumUs;
    columns[MAX]![row] = this.openOkMaxUs;
    columns[P50]![row] = ok ? valueAtPercentile(ok, 50) : 0;
    columns[P90]![row] = ok ? valueAtPercentile(ok, 90) : 0;
    columns[P99]![row] = ok ? valueAtPercentile(ok, 99) : 0;
    columns[P999]![row] = ok ? valueAtPercentile(ok, 99.9) : 0;
    columns[FAILED_P50]![row] = failed ? valueAtPercentile(failed, 50) : 0;
    columns[FAILED_P99]![row] = failed ? valueAtPercentile(failed, 99) : 0;
    columns[FAILED_MAX]![row] = this.openFailedMaxUs;
    ok?.reset();
    failed?.reset();
    this.openOutcomes.fill(0);
    this.openCount = 0;
    this.openOkSumUs = 0;
    this.openOkMaxUs = 0;
    this.openFailedMaxUs = 0;
  }

  private mergePairs(rows: number): void {
    for (let k = 0; k < rows / 2; k++) {
      const a = 2 * k;
      const b = a + 1;
      this.rowCount[k] = this.rowCount[a]! + this.rowCount[b]!;
      for (let o = 0; o < OUTCOME_COUNT; o++) {
        this.rowOutcomes[k * OUTCOME_COUNT + o] = this.rowOutcomes[a * OUTCOME_COUNT + o]! + this.rowOutcomes[b * OUTCOME_COUNT + o]!;
      }
      const sum = this.rowColumns[SUM]!;
      sum[k] = sum[a]! + sum[b]!;
      // Max is exact; percentiles take the larger of the two, an upper bound (see the file comment).
      for (const c of MAX_COLUMNS) {
        const column = this.rowColumns[c]!;
        column[k] = Math.max(column[a]!, column[b]!);
      }
    }
  }

  private growRows(capacity: number): void {
    this.rowCount = growFloat64(this.rowCount, capacity);
    this.rowOutcomes = growFloat64(this.rowOutcomes, capacity * OUTCOME_COUNT);
    for (let c = 0; c < COLUMNS; c++) this.rowColumns[c] = growFloat64(this.rowColumns[c]!, capacity);
  }
}
