// The animated view: the world of one variant drawn at a moment of simulated time. Client groups on the left, the
// balancer in the middle, backends on the right; each backend shows what it really was at that moment (running,
// paused for GC, hung, crashed) beside what the balancer believed (its health state), and how many requests it
// held. Requests are dots from the run's bounded trace, coloured by outcome: a dot that goes into a backend and
// never comes back is a request the balancer sent to a process that could not answer (the black hole).
import type { HealthSpan, Marker, RunSeries } from "../../report/report-data.js";
import type { RunTrace, TracedRequest } from "../trace.js";

const OUTCOME_COLORS: Readonly<Record<string, string>> = {
  ok: "#2e9e44",
  "upstream-timeout": "#d62728",
  "client-timeout": "#e15759",
  "connection-refused": "#9467bd",
  "reset-mid-flight": "#8c564b",
  "no-healthy-upstream": "#7f7f7f",
  "backend-error": "#ff7f0e",
  "queue-full": "#f28e2b",
  "queue-timeout": "#edc948",
  "rate-limited": "#17becf",
  "retries-exhausted": "#b07aa1",
};
const OTHER = "#bcbd22";

// The node-health states (src/health/health-checker.ts HEALTH_STATE_NAMES), as the report colours them.
const HEALTH_COLORS: Readonly<Record<string, string>> = { healthy: "#59a14f", unhealthy: "#e15759", draining: "#edc948", drained: "#9d9d9d" };
const TRUTH_COLORS: Readonly<Record<string, string>> = { running: "#2e9e44", gc: "#9467bd", "gc-pause": "#9467bd", hang: "#d62728", crash: "#111111", slow: "#ff7f0e", "fast-5xx": "#f28e2b", "dependency-down": "#8c564b", warming: "#edc948" };

export const outcomeColor = (outcome: string): string => OUTCOME_COLORS[outcome] ?? OTHER;

/** What a backend really was at `tMs`: the latest marker whose span covers it, else "running". */
export function truthAt(markers: readonly Marker[], backend: string, tMs: number): string {
  let state = "running";
  for (const m of markers) {
    if (m.backend !== backend || m.atMs > tMs) continue;
    const end = m.endMs ?? Infinity;
    if (tMs < end) state = m.kind;
    // Events that end a hang or a crash: the process answers again.
    if (m.kind === "recover" || m.kind === "restart" || m.kind === "start" || m.kind === "ready") state = "running";
  }
  return state;
}

/** What the first balancer node believed about a backend at `tMs`. */
export function healthAt(spans: readonly HealthSpan[], backend: string, tMs: number): string {
  const node = spans[0]?.node;
  for (const s of spans) if (s.node === node && s.backend === backend && s.fromMs <= tMs && tMs < s.toMs) return s.state;
  return "unknown";
}

export interface Frame {
  tMs: number;
  /** Simulated milliseconds a dot stays visible at least, so fast requests can be seen at any playback speed. */
  minLifeMs: number;
}

/** Where a request's dot is at `tMs`, as a fraction of its path, or null when it is not on screen. */
export function dotPhase(r: TracedRequest, frame: Frame): { phase: "in" | "at" | "out" | "lost"; f: number } | null {
  const life = Math.max(r.endMs - r.startMs, frame.minLifeMs);
  const f = (frame.tMs - r.startMs) / life;
  if (f < 0 || f > 1) return null;
  const lost = r.outcome !== "ok" && r.backend >= 0;
  if (f < 0.25) return { phase: "in", f: f / 0.25 };
  if (lost) return { phase: "lost", f: (f - 0.25) / 0.75 };
  if (f < 0.75) return { phase: "at", f: (f - 0.25) / 0.5 };
  return { phase: "out", f: (f - 0.75) / 0.25 };
}

export function drawWorld(ctx: CanvasRenderingContext2D, trace: RunTrace, series: RunSeries, frame: Frame): void {
  const { width, height } = ctx.canvas;
  ctx.clearRect(0, 0, width, height);
  ctx.font = "12px system-ui, 'DejaVu Sans', sans-serif";
  const clientX = 70;
  const lbX = width * 0.36;
  const backendX = width * 0.6;
  const groupY = (g: number): number => ((g + 1) * height) / (trace.groups.length + 1);
  const backendY = (b: number): number => 24 + ((b + 0.5) * (height - 48)) / Math.max(1, trace.backends.length);

  // Paths.
  ctx.strokeStyle = "#e3e6ea";
  trace.groups.forEach((_, g) => { ctx.beginPath(); ctx.moveTo(clientX, groupY(g)); ctx.lineTo(lbX, height / 2); ctx.stroke(); });
  trace.backends.forEach((_, b) => { ctx.beginPath(); ctx.moveTo(lbX, height / 2); ctx.lineTo(backendX, backendY(b)); ctx.stroke(); });

  // Clients and the balancer.
  ctx.fillStyle = "#1d2330";
  trace.groups.forEach((name, g) => {
    ctx.fillStyle = "#4e79a7";
    ctx.beginPath(); ctx.arc(clientX, groupY(g), 14, 0, Math.PI * 2); ctx.fill();
    ctx.fillStyle = "#1d2330"; ctx.textAlign = "center"; ctx.fillText(name, clientX, groupY(g) + 30);
  });
  ctx.fillStyle = "#59a14f";
  ctx.fillRect(lbX - 18, height / 2 - 26, 36, 52);
  ctx.fillStyle = "#1d2330"; ctx.fillText("balancer", lbX, height / 2 + 42);

  // Backends: truth on the left half of the box, belief on the right.
  const rowH = Math.min(34, (height - 48) / Math.max(1, trace.backends.length) - 4);
  const load = new Map<string, number>();
  for (const p of series.backendLoad) if (p.startMs <= frame.tMs && frame.tMs < p.endMs) load.set(p.backend, p.meanInFlight);
  trace.backends.forEach((name, b) => {
    const y = backendY(b) - rowH / 2;
    const truth = truthAt(series.markers, name, frame.tMs);
    const health = healthAt(series.health, name, frame.tMs);
    ctx.fillStyle = TRUTH_COLORS[truth] ?? "#999";
    ctx.fillRect(backendX, y, 22, rowH);
    ctx.fillStyle = HEALTH_COLORS[health] ?? "#bbb";
    ctx.fillRect(backendX + 24, y, 22, rowH);
    ctx.fillStyle = "#1d2330"; ctx.textAlign = "left";
    const inFlight = load.get(name);
    ctx.fillText(`${name}: ${truth} | LB sees ${health}${inFlight === undefined ? "" : ` | ${inFlight.toFixed(1)} in flight`}`, backendX + 52, y + rowH / 2 + 4);
  });

  // Requests.
  for (const r of trace.requests) {
    const at = dotPhase(r, frame);
    if (at === null) continue;
    const cx = clientX;
    const cy = groupY(r.group);
    const bx = r.backend >= 0 ? backendX - 6 : lbX;
    const by = r.backend >= 0 ? backendY(r.backend) : height / 2;
    let x: number;
    let y: number;
    if (at.phase === "in") { x = cx + (bx - cx) * at.f; y = cy + (by - cy) * at.f; }
    else if (at.phase === "out") { x = bx + (cx - bx) * at.f; y = by + (cy - by) * at.f; }
    else { x = bx - 8 - ((r.startMs * 7) % 18); y = by + (((r.startMs * 13) % 16) - 8); }
    ctx.globalAlpha = at.phase === "lost" ? 1 - 0.6 * at.f : 0.85;
    ctx.fillStyle = at.phase === "in" ? "#4e79a7" : outcomeColor(r.outcome);
    ctx.beginPath(); ctx.arc(x, y, 3, 0, Math.PI * 2); ctx.fill();
  }
  ctx.globalAlpha = 1;
}
