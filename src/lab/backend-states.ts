// What each backend really was, span by span, for the health timeline's "backend" lane beside what each balancer
// node saw. The black hole is the gap between the two: a backend `hung` (or paused for GC, or not ready) while
// every node still shows it healthy. States change only when the backend reports a marker (start, crash, hang,
// GC start and end, ready, recover, slow, errors, a dependency down or up), so the spans are exact in time.
import type { Backend, BackendMarker } from "../model/backend.js";
import type { BackendListener, World } from "../model/world.js";
import type { BackendStateSpan } from "../report/report-data.js";

/** Real states, most severe first: a backend both hung and paused shows as hung. */
export const BACKEND_STATES = ["down", "hung", "gc-pause", "not-ready", "degraded", "up"] as const;
export type BackendState = (typeof BACKEND_STATES)[number];

/** A bound on the spans kept for the chart (as for health spans); the spans past it are counted, not drawn. */
const MAX_STATE_SPANS = 20_000;

export function backendState(backend: Backend, nowUs: number): BackendState {
  if (!backend.up) return "down";
  if (backend.hung) return "hung";
  if (backend.paused) return "gc-pause";
  if (nowUs < backend.readyAtUs) return "not-ready";
  if (backend.slowFactor !== 1 || backend.errorRate > 0 || backend.dependenciesDown.size > 0) return "degraded";
  return "up";
}

export class BackendStateTracker implements BackendListener {
  readonly spans: BackendStateSpan[] = [];
  /** Spans not kept because the bound was reached. */
  dropped = 0;
  private readonly open: Array<{ state: BackendState; fromUs: number } | undefined> = [];

  /** Its owner passes on each backend change with a marker (RunObserver.onBackendChange); load changes need not come. */
  constructor(private readonly world: World) {
    world.backendAddedListeners.push((backend) => this.track(backend));
    for (const backend of world.backends) this.track(backend);
  }

  onBackendChange(backend: Backend, marker: BackendMarker | undefined): void {
    if (marker === undefined) return; // a load change: no state changes without a marker
    const open = this.open[backend.index];
    if (open === undefined) return; // added this instant; the added-listener opens its span
    const now = this.world.now;
    const state = backendState(backend, now);
    if (state === open.state) return;
    this.close(backend.index, open, now);
    this.open[backend.index] = { state, fromUs: now };
  }

  /** Closes every open span at the end of the run. */
  finish(): void {
    const now = this.world.now;
    this.open.forEach((open, index) => open && this.close(index, open, now));
    this.open.length = 0;
  }

  private track(backend: Backend): void {
    this.open[backend.index] ??= { state: backendState(backend, this.world.now), fromUs: this.world.now };
  }

  private close(index: number, open: { state: BackendState; fromUs: number }, toUs: number): void {
    if (toUs <= open.fromUs) return;
    if (this.spans.length >= MAX_STATE_SPANS) {
      this.dropped++;
      return;
    }
    this.spans.push({ backend: this.world.backends[index]!.name, state: open.state, fromMs: open.fromUs / 1000, toMs: toUs / 1000 });
  }
}
