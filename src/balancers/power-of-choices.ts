// Power of d choices (Mitzenmacher 2001): draw `choiceCount` backends and send the request to the least loaded.
// The proxies differ in how they draw and compare, so each is a named variant:
//
// - "envoy" (default; Envoy least request, source/extensions/load_balancing_policies/least_request/
//   least_request_lb.cc): while every host has the same weight, `unweightedHostPickNChoices` draws `choice_count`
//   hosts uniformly *with replacement* (with two hosts it compares a host with itself half the time, envoy#11004)
//   and keeps the first drawn on ties. Once weights differ (configured weights, or slow start), picks go through
//   the EDF schedule over `hostWeight` = weight / (active + 1)^active_request_bias (`EdfSchedule`).
// - "haproxy" (HAProxy `balance random(<draws>)`, src/backend.c `get_server_rnd`): each draw is a uniform 32-bit
//   key looked up in HAProxy's consistent-hash tree (`HaproxyChashRing`: servers own unequal arcs, not exactly
//   their weights), with replacement, skipping a retry's avoided server as `chash_get_server_hash` does; a draw
//   replaces the best so far unless `served x prev_eweight > prev_served x eweight`, so the later draw wins ties;
//   the cost is in-flight / weight.
// - "nginx" (NGINX `random two`, src/http/modules/ngx_http_upstream_random_module.c
//   `ngx_http_upstream_get_random2_peer`): each draw is by weight range (`WeightedDraw`, as NGINX `random`); a second
//   draw that lands on the first peer, or on a full or already tried one, is drawn again, up to 20 draws in all
//   (then NGINX falls back to round robin; here, the distinct fallback below); the second wins unless it has
//   strictly more connections per weight (`peer->conns * prev->weight > prev->conns * peer->weight` keeps prev).
// - "distinct" (Mitzenmacher's model, Finagle's and tower's P2C): a distinct pair, drawn uniformly; cost
//   (load + 1)^bias / weight for the least-loaded metric, load / weight for EWMA metrics; first drawn on ties.
//
// Any draw that lands on a full (or retry-avoided) backend falls back to distinct draws over the available ones:
// a partial Fisher-Yates shuffle over a kept permutation, so a pick never loops unboundedly.
import type { RandomSource } from "../engine/ports.js";
import type { TimeUs } from "../engine/time.js";
import type { BackendState } from "./backend-state.js";
import { isAvailable } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";
import { EdfSchedule } from "./edf-schedule.js";
import { HaproxyChashRing } from "./haproxy-chash-ring.js";
import { LeastLoadedMetric } from "./least-loaded-metric.js";
import type { LoadMetric } from "./load-metric.js";
import type { Picker } from "./picker.js";
import { WeightedDraw } from "./weighted-draw.js";

export const POWER_OF_CHOICES_VARIANTS = ["envoy", "haproxy", "nginx", "distinct"] as const;
export type PowerOfChoicesVariant = (typeof POWER_OF_CHOICES_VARIANTS)[number];

export interface PowerOfChoicesOptions {
  /** How many backends to compare. Default 2 (Envoy `choice_count`, HAProxy `random(2)`). */
  readonly choiceCount?: number;
  /** Envoy `active_request_bias`: 0 ignores load (weighted round robin), 1 is the default. Least-loaded metric only. */
  readonly activeRequestBias?: number;
  /** Which proxy's draw and comparison. Default "envoy". */
  readonly variant?: PowerOfChoicesVariant;
}

export class PowerOfChoicesPicker implements Picker {
  private readonly choiceCount: number;
  private readonly bias: number;
  private readonly biased: boolean;
  private readonly inFlightOnly: boolean;
  private readonly variant: PowerOfChoicesVariant;
  private readonly weighted: WeightedDraw;
  private readonly edf: EdfSchedule;
  private perm = new Int32Array(0);
  private seenActive = -1;
  private readonly ring = new HaproxyChashRing();
  private ringActive = -1;
  private ringWeights = -1;

  constructor(
    private readonly pool: BackendPool,
    private readonly metric: LoadMetric,
    private readonly rng: RandomSource,
    options: PowerOfChoicesOptions = {},
  ) {
    this.choiceCount = options.choiceCount ?? 2;
    this.bias = options.activeRequestBias ?? 1;
    this.variant = options.variant ?? "envoy";
    if (!(Number.isInteger(this.choiceCount) && this.choiceCount >= 1)) throw new RangeError(`choiceCount must be an integer >= 1, got ${this.choiceCount}`);
    if (!(this.bias >= 0)) throw new RangeError(`activeRequestBias must be >= 0, got ${this.bias}`);
    if (!(POWER_OF_CHOICES_VARIANTS as readonly string[]).includes(this.variant)) {
      throw new RangeError(`unknown power-of-two-choices variant "${String(this.variant)}"; known: ${POWER_OF_CHOICES_VARIANTS.join(", ")}`);
    }
    this.biased = metric.name === "least-loaded";
    this.inFlightOnly = metric instanceof LeastLoadedMetric && !metric.countQueued;
    this.weighted = new WeightedDraw(pool, rng);
    // Envoy `LeastRequestLoadBalancer::hostWeight`: weight / (active + 1)^bias.
    this.edf = new EdfSchedule(pool, (b, nowUs) => b.effectiveWeight / this.biasedLoad(b, nowUs));
  }

  pick(_ctx: unknown, nowUs: TimeUs): BackendState | null {
    const active = this.pool.active();
    const n = active.length;
    if (n === 0) return null;
    let picked: BackendState | null;
    if (this.variant === "distinct") picked = this.choiceCount === 2 && n >= 2 ? this.pickDistinctPair(active, n, nowUs) : null;
    else if (this.variant === "haproxy") picked = this.pickHaproxy(active, nowUs);
    else if (this.variant === "nginx") picked = this.pickNginx(active, n, nowUs);
    else picked = this.pickEnvoy(active, n, nowUs);
    return picked ?? this.pickDistinct(active, n, nowUs);
  }

  /** Envoy: N uniform draws with replacement while weights are equal, the EDF schedule once they differ. */
  private pickEnvoy(active: readonly BackendState[], n: number, nowUs: TimeUs): BackendState | null {
    this.weighted.refresh(active);
    const uniform = this.weighted.uniform;
    // The EDF schedule is Envoy's for active-request counts; an EWMA metric (an lbsim combination) keeps the draws.
    if (!uniform && this.biased) return this.edf.pick(active, nowUs);
    let best: BackendState | null = null;
    let bestCost = 0;
    for (let i = 0; i < this.choiceCount; i++) {
      const b = active[Math.floor(this.rng.next() * n)]!;
      if (!isAvailable(b)) return null;
      const cost = uniform ? this.load(b, nowUs) : this.cost(b, nowUs);
      if (best === null || cost < bestCost) {
        best = b;
        bestCost = cost;
      }
    }
    return best;
  }

  /** HAProxy `get_server_rnd`: draws on the chash tree with replacement; a later draw wins unless strictly costlier. */
  private pickHaproxy(active: readonly BackendState[], nowUs: TimeUs): BackendState | null {
    if (this.ringActive !== this.pool.activeSetVersion || this.ringWeights !== this.pool.effectiveWeightVersion) {
      this.ringActive = this.pool.activeSetVersion;
      this.ringWeights = this.pool.effectiveWeightVersion;
      this.ring.rebuild(this.pool.members, active);
    }
    let best: BackendState | null = null;
    for (let i = 0; i < this.choiceCount; i++) {
      // ha_random32(): a uniform 32-bit key.
      const b = this.ring.lookup(Math.floor(this.rng.next() * 4_294_967_296), avoidedNow);
      // A full server (maxconn) or none at all: the distinct fallback below, as for the other variants.
      if (b === null || !isAvailable(b)) return null;
      // curr->served * prev->cur_eweight > prev->served * curr->cur_eweight keeps prev.
      if (best !== null && best !== b && this.load(b, nowUs) * best.effectiveWeight > this.load(best, nowUs) * b.effectiveWeight) continue;
      best = b;
    }
    return best;
  }

  /** NGINX `random two`: two distinct peers drawn by weight (at most 20 draws), the second unless strictly costlier. */
  private pickNginx(active: readonly BackendState[], n: number, nowUs: TimeUs): BackendState | null {
    this.weighted.refresh(active);
    let first: BackendState | null = null;
    for (let draw = 0; draw < NGINX_RANDOM2_DRAWS; draw++) {
      const b = active[this.weighted.draw(n)]!;
      if (!isAvailable(b) || b === first) continue;
      if (first === null) {
        // A single peer is used as it is (NGINX `peers->single` takes the round-robin path, which returns it).
        if (n === 1) return b;
        first = b;
        continue;
      }
      return this.load(b, nowUs) * first.effectiveWeight > this.load(first, nowUs) * b.effectiveWeight ? first : b;
    }
    return null;
  }

  /** Mitzenmacher's distinct pair: i uniform over n, j uniform over the other n - 1; first drawn on ties. */
  private pickDistinctPair(active: readonly BackendState[], n: number, nowUs: TimeUs): BackendState | null {
    const i = Math.floor(this.rng.next() * n);
    let j = Math.floor(this.rng.next() * (n - 1));
    if (j >= i) j++;
    const a = active[i]!;
    const b = active[j]!;
    if (!isAvailable(a) || !isAvailable(b)) return null;
    // In-flight counts with bias 1 and equal weights: (load + 1) / w orders exactly as load does (integers far
    // below 2^53, divided by the same positive w, stay distinct and in order), so skip the two divisions.
    if (this.inFlightOnly && this.bias === 1 && a.effectiveWeight === b.effectiveWeight) return b.inFlight < a.inFlight ? b : a;
    return this.cost(b, nowUs) < this.cost(a, nowUs) ? b : a;
  }

  /** Any number of distinct choices, passing over full backends: a partial Fisher-Yates shuffle of a kept permutation. */
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

  private load(b: BackendState, nowUs: TimeUs): number {
    // In-flight counts are read directly for the least-loaded metric (the common case), skipping a virtual call.
    return this.inFlightOnly ? b.inFlight : this.metric.load(b, nowUs);
  }

  /** (load + 1)^bias for the least-loaded metric (Envoy), the load itself for EWMA metrics (Finagle). */
  private biasedLoad(b: BackendState, nowUs: TimeUs): number {
    const load = this.load(b, nowUs);
    if (!this.biased) return load;
    const base = load + 1;
    return this.bias === 1 ? base : Math.pow(base, this.bias);
  }

  private cost(b: BackendState, nowUs: TimeUs): number {
    return this.biasedLoad(b, nowUs) / b.effectiveWeight;
  }

  private rebuild(n: number): void {
    this.seenActive = this.pool.activeSetVersion;
    this.perm = new Int32Array(n);
    for (let i = 0; i < n; i++) this.perm[i] = i;
  }
}

/** `ngx_http_upstream_get_random2_peer` gives up after 20 draws (`if (++rp->tries > 20)`) and falls back to round robin. */
const NGINX_RANDOM2_DRAWS = 20;

/** `chash_get_server_hash` walks past the server to avoid (a retry's previous one) to the next node. */
function avoidedNow(b: BackendState): boolean {
  return b.avoided;
}
