// Power of d choices (Mitzenmacher 2001): draw `choiceCount` distinct active backends uniformly and send the
// request to the least loaded; ties go to the first drawn. HAProxy `random(2)`, NGINX `random two least_conn`,
// Envoy least request (`choice_count` 2). With the least-loaded metric the cost is Envoy's weighted form:
// the winner has the largest weight / (active + 1)^active_request_bias (bias 1.0 by default); with an EWMA metric
// (Finagle's P2C + PeakEwma, Linkerd) the cost is load / weight.
//
// Two choices (the default) are drawn directly as a distinct pair. Any other count, or a draw that lands on a full
// backend, uses distinct draws without allocating: a partial Fisher-Yates shuffle over a persistent permutation of
// the active indices. Any starting permutation gives uniformly random distinct draws, so the permutation is kept between
// picks and rebuilt only when the active set changes. Full backends are passed over and drawing continues.
import type { RandomSource } from "../engine/ports.js";
import type { TimeUs } from "../engine/time.js";
import type { BackendState } from "./backend-state.js";
import { isAvailable } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";
import { LeastLoadedMetric } from "./least-loaded-metric.js";
import type { LoadMetric } from "./load-metric.js";
import type { Picker } from "./picker.js";

export interface PowerOfChoicesOptions {
  /** How many distinct backends to compare. Default 2 (Envoy `choice_count`). */
  readonly choiceCount?: number;
  /** Envoy `active_request_bias`: 0 ignores load (weighted random), 1 is the default. Least-loaded metric only. */
  readonly activeRequestBias?: number;
  /**
   * "distinct" (default): two different backends. "with-replacement": two independent draws, as HAProxy
   * `random(2)` makes them (backend.c get_server_rnd: each draw is a fresh random hash on the tree; when both land
   * on the same server it wins unopposed, and a tie goes to the later draw). Two choices only.
   */
  readonly draws?: "distinct" | "with-replacement";
}

export class PowerOfChoicesPicker implements Picker {
  private readonly choiceCount: number;
  private readonly bias: number;
  private readonly biased: boolean;
  private readonly inFlightOnly: boolean;
  private readonly withReplacement: boolean;
  private uniform = false;
  private uniformWeightVersion = -1;
  private uniformActiveVersion = -1;
  private perm = new Int32Array(0);
  private seenActive = -1;

  constructor(
    private readonly pool: BackendPool,
    private readonly metric: LoadMetric,
    private readonly rng: RandomSource,
    options: PowerOfChoicesOptions = {},
  ) {
    this.choiceCount = options.choiceCount ?? 2;
    this.bias = options.activeRequestBias ?? 1;
    if (!(Number.isInteger(this.choiceCount) && this.choiceCount >= 1)) throw new RangeError(`choiceCount must be an integer >= 1, got ${this.choiceCount}`);
    if (!(this.bias >= 0)) throw new RangeError(`activeRequestBias must be >= 0, got ${this.bias}`);
    this.biased = metric.name === "least-loaded";
    this.inFlightOnly = metric instanceof LeastLoadedMetric && !metric.countQueued;
    this.withReplacement = options.draws === "with-replacement";
    if (this.withReplacement && this.choiceCount !== 2) throw new RangeError("draws with replacement are implemented for two choices");
  }

  pick(_ctx: unknown, nowUs: TimeUs): BackendState | null {
    const active = this.pool.active();
    const n = active.length;
    if (n === 0) return null;
    if (this.withReplacement) return this.pickTwoWithReplacement(active, n, nowUs);
    if (this.choiceCount === 2 && n >= 2) {
      const fast = this.pickTwo(active, n, nowUs);
      if (fast !== null) return fast;
    }
    return this.pickDistinct(active, n, nowUs);
  }

  /**
   * The common case, two choices: Mitzenmacher's distinct pair from two draws, i uniform over n and j uniform
   * over the other n - 1, with no permutation to maintain. When either is full the general draw decides.
   */
  private pickTwo(active: readonly BackendState[], n: number, nowUs: TimeUs): BackendState | null {
    const i = Math.floor(this.rng.next() * n);
    let j = Math.floor(this.rng.next() * (n - 1));
    if (j >= i) j++;
    const a = active[i]!;
    const b = active[j]!;
    if (!isAvailable(a) || !isAvailable(b)) return null;
    // With equal weights and bias 1, (inFlight + 1) / weight orders backends exactly as inFlight does.
    if (this.inFlightOnly && this.bias === 1 && this.weightsUniform(active)) return b.inFlight < a.inFlight ? b : a;
    return this.cost(b, nowUs) < this.cost(a, nowUs) ? b : a;
  }

  /**
   * HAProxy random(2): two independent draws; the later one wins unless it is strictly more loaded (HAProxy keeps
   * the previous best only when `curr->served * prev->eweight > prev->served * curr->eweight`). A full backend
   * drawn is passed over by drawing again, bounded by the number of active backends.
   */
  private pickTwoWithReplacement(active: readonly BackendState[], n: number, nowUs: TimeUs): BackendState | null {
    let best: BackendState | null = null;
    let draws = 0;
    for (let tries = 0; tries < 2 + n && draws < 2; tries++) {
      const b = active[Math.floor(this.rng.next() * n)]!;
      if (!isAvailable(b)) continue;
      draws++;
      if (best === null || best === b || this.cost(b, nowUs) <= this.cost(best, nowUs)) best = b;
    }
    return best;
  }

  /** Whether every active backend has the same effective weight (cached until weights or membership change). */
  private weightsUniform(active: readonly BackendState[]): boolean {
    const pool = this.pool;
    if (this.uniformWeightVersion === pool.effectiveWeightVersion && this.uniformActiveVersion === pool.activeSetVersion) {
      return this.uniform;
    }
    this.uniformWeightVersion = pool.effectiveWeightVersion;
    this.uniformActiveVersion = pool.activeSetVersion;
    const first = active[0]!.effectiveWeight;
    this.uniform = active.every((b) => b.effectiveWeight === first);
    return this.uniform;
  }

  /** Any number of choices, passing over full backends: a partial Fisher-Yates shuffle of a kept permutation. */
  private pickDistinct(active: readonly BackendState[], n: number, nowUs: TimeUs): BackendState | null {
    if (this.seenActive !== this.pool.activeSetVersion) this.rebuild(n);
    const perm = this.perm;
    let best: BackendState | null = null;
    let bestCost = Infinity;
    let chosen = 0;
    for (let i = 0; i < n && chosen < this.choiceCount; i++) {
      const j = i + Math.floor(this.rng.next() * (n - i));
      const t = perm[i]!;
      perm[i] = perm[j]!;
      perm[j] = t;
      const b = active[perm[i]!]!;
      if (!isAvailable(b)) continue;
      chosen++;
      const cost = this.cost(b, nowUs);
      if (best === null || cost < bestCost) {
        best = b;
        bestCost = cost;
      }
    }
    return best;
  }

  private cost(b: BackendState, nowUs: TimeUs): number {
    // In-flight counts are read directly for the least-loaded metric (the common case), skipping a virtual call.
    const load = this.inFlightOnly ? b.inFlight : this.metric.load(b, nowUs);
    if (!this.biased) return load / b.effectiveWeight;
    const base = load + 1;
    return (this.bias === 1 ? base : Math.pow(base, this.bias)) / b.effectiveWeight;
  }

  private rebuild(n: number): void {
    this.seenActive = this.pool.activeSetVersion;
    this.perm = new Int32Array(n);
    for (let i = 0; i < n; i++) this.perm[i] = i;
  }
}
