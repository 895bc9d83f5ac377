// Watches one run and keeps what people will look at, in bounded memory: the latency of user requests first sent
// after the warm-up (from first send to final answer, whenever they end; the world's ledger counts them),
// latency windows, per-backend load gauges, each node's health spans, each backend's real state, and markers
// for GC pauses and failures.
import { OUTCOME } from "../metrics/ledger.js";
import { BackendGauges } from "../metrics/backend-gauges.js";
import { LatencyRecorder, NO_BACKEND } from "../metrics/latency-recorder.js";
import type { Backend, BackendMarker } from "../model/backend.js";
import { HEALTH_STATE_NAMES, type HealthListener } from "../model/lb/node-health.js";
import type { LbTier } from "../model/lb/lb-tier.js";
import type { BackendListener, SettleListener, World } from "../model/world.js";
import type { HealthSpan, Marker } from "../report/report-data.js";
import { BackendStateTracker } from "./backend-states.js";

/** Bounds on what a run keeps for charts; going past one drops the oldest detail, never the counts. */
const MAX_HEALTH_SPANS = 20_000;

export class RunObserver implements SettleListener, BackendListener, HealthListener {
  readonly latency: LatencyRecorder;
  readonly gauges: BackendGauges;
  /** Spans for the health timeline chart: at most MAX_HEALTH_SPANS; later ones are not drawn. */
  readonly healthSpans: HealthSpan[] = [];
  /** Exact time (us) each backend spent in each health state, summed over nodes: not bounded by the chart's list. */
  readonly stateTimeUs = new Map<string, Float64Array>();
  /** What each backend really was, span by span. */
  readonly backendStates: BackendStateTracker;
  private readonly openSpans = new Map<number, { state: number; fromUs: number }>();
  private readonly openGc: number[] = [];
  /** Each backend's startedTotal and completedTotal when last seen: the gauges count what changed since. */
  private readonly seenStarted: number[] = [];
  private readonly seenCompleted: number[] = [];

  constructor(
    private readonly world: World,
    private readonly tier: LbTier,
    windowUs: number,
  ) {
    // No per-backend latency histograms: no report reads them (a backend's figures are the world's per-backend
    // counts and the gauges), and keeping them cost one more histogram record per request.
    this.latency = new LatencyRecorder({ windowUs });
    this.gauges = new BackendGauges({
      windowUs,
      stateNames: ["up", "paused", "hung", "down", "not-ready"],
      workers: world.backends.map((b) => b.config.workers),
    });
    world.settleListeners.push(this);
    world.backendListeners.push(this);
    this.backendStates = new BackendStateTracker(world); // told of backend changes by onBackendChange
    world.backendAddedListeners.push((backend) => {
      this.gauges.addBackend(backend.config.workers, world.now);
      for (const node of tier.nodes) {
        const key = spanKey(node.index, backend.index);
        if (!this.openSpans.has(key)) this.openSpans.set(key, { state: node.health.stateOf(backend.index), fromUs: world.now });
      }
    });
    for (const node of tier.nodes) {
      node.health.listeners.push(this);
      for (const backend of world.backends) this.openSpans.set(spanKey(node.index, backend.index), { state: node.health.stateOf(backend.index), fromUs: 0 });
    }
  }

  onRequestEnded(request: number, outcome: number, latencyUs: number, _backend: number): void {
    if (!this.world.measured(request)) return; // the warm-up: the same rule as the ledger's
    if (outcome === OUTCOME.unfinished) return; // ended by the horizon, not answered: no latency, no window
    this.latency.record(latencyUs, outcome, NO_BACKEND, this.world.now);
  }

  onBackendChange(backend: Backend, marker: BackendMarker | undefined): void {
    // The tracker is told here rather than registered as a second listener: one call site, one receiver, and no
    // call at all for the load changes (most of them), in which a backend's state cannot change.
    if (marker !== undefined) this.backendStates.onBackendChange(backend, marker);
    const now = this.world.now;
    const b = backend.index;
    const gauges = this.gauges;
    if (b >= gauges.backendCount) return; // added this instant; the added-listener registers it next
    // The backend reports after every change that starts or ends service, at the instant it happens.
    const started = backend.startedTotal - (this.seenStarted[b] ?? 0);
    const completed = backend.completedTotal - (this.seenCompleted[b] ?? 0);
    gauges.setLoad(b, backend.inFlight, backend.queueLength + backend.backlogLength, backend.busy, started, completed, now);
    this.seenStarted[b] = backend.startedTotal;
    this.seenCompleted[b] = backend.completedTotal;
    if (marker === undefined) return;
    gauges.setState(b, processState(backend, now), now);
    if (marker === "gc-start") {
      if (this.openGc[b] === undefined || this.openGc[b]! < 0) this.openGc[b] = gauges.mark(b, "gc-pause", now);
    } else if (marker === "gc-end") {
      const open = this.openGc[b];
      if (open !== undefined && open >= 0) gauges.endMark(open, now);
      this.openGc[b] = -1;
    } else if (!(marker === "dependency-up" || ((marker === "start" || marker === "ready") && now === 0))) {
      gauges.mark(b, marker, now); // crashes, hangs, restarts, slowdowns: worth a mark on the timeline
    }
  }

  onHealthState(node: number, backend: number, state: number, nowUs: number): void {
    const key = spanKey(node, backend);
    const open = this.openSpans.get(key);
    if (open) this.closeSpan(node, backend, open, nowUs);
    this.openSpans.set(key, { state, fromUs: nowUs });
  }

  /** Closes everything still open at the end of the run. */
  finish(): void {
    const now = this.world.now;
    this.latency.flush(now);
    this.gauges.flush(now);
    this.backendStates.finish();
    for (const [key, open] of this.openSpans) this.closeSpan(key % 64, Math.floor(key / 64), open, now);
    this.openSpans.clear();
    for (let b = 0; b < this.openGc.length; b++) {
      const open = this.openGc[b];
      if (open !== undefined && open >= 0) this.gauges.endMark(open, now);
    }
  }

  markers(): Marker[] {
    return this.gauges.markerList().map((m) => {
      const marker: Marker = { backend: this.world.backends[m.backend]!.name, kind: m.kind, atMs: m.atUs / 1000 };
      if (m.endUs !== undefined) marker.endMs = m.endUs / 1000;
      return marker;
    });
  }

  private closeSpan(node: number, backend: number, open: { state: number; fromUs: number }, toUs: number): void {
    if (toUs <= open.fromUs) return;
    const name = this.world.backends[backend]!.name;
    let times = this.stateTimeUs.get(name);
    if (!times) this.stateTimeUs.set(name, (times = new Float64Array(HEALTH_STATE_NAMES.length)));
    times[open.state]! += toUs - open.fromUs;
    if (this.healthSpans.length >= MAX_HEALTH_SPANS) return;
    this.healthSpans.push({
      node: this.tier.nodes[node]!.config.name,
      backend: name,
      state: HEALTH_STATE_NAMES[open.state] ?? "unknown",
      fromMs: open.fromUs / 1000,
      toMs: toUs / 1000,
    });
  }
}

const spanKey = (node: number, backend: number): number => backend * 64 + node;

/** The process state for the gauges' time-in-state: 0 up, 1 paused, 2 hung, 3 down, 4 not ready. */
function processState(backend: Backend, now: number): number {
  if (!backend.up) return 3;
  if (backend.hung) return 2;
  if (backend.paused) return 1;
  if (now < backend.readyAtUs) return 4;
  return 0;
}
