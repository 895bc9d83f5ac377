// The playground page: pick a scenario from the library or write one, run it in a Web Worker with lbsim's own
// code, and see the same summary, expectations and charts as `lbsim run --out`, plus the world animated. The URL
// holds the scenario (a library name, or the text itself) and the seed, so a teacher can share an exact run.
import embed from "vega-embed";
import type { TopLevelSpec } from "vega-lite";
import { REPORT_CHARTS } from "../../report/charts.js";
import { escapeHtml } from "../../report/html-escape.js";
import { expectationsSection, summarySection } from "../../report/html-sections.js";
import type { ScenarioReport } from "../../report/report-data.js";
import type { RunTrace } from "../trace.js";
import { drawWorld } from "./animation.js";
import { createEditor } from "./editor.js";
import type { RunRequest, WorkerMessage } from "./protocol.js";
import { decodeShare, encodeShare, type ShareState } from "../../report/playground-link.js";

interface LibraryScenario {
  name: string;
  title: string;
  text: string;
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

const library: LibraryScenario[] = await (await fetch("scenarios.json")).json();
const state = { name: "black-hole", edited: false, report: null as ScenarioReport | null, traces: [] as RunTrace[], json: "" };

const select = $<HTMLSelectElement>("scenario");
for (const s of library) select.add(new Option(`${s.name}: ${s.title}`, s.name));

const editor = createEditor($("editor"), () => `scenarios/${state.name}.yaml`, () => {
  state.edited = true;
  updateShare();
});

let worker: Worker | null = null;

function newWorker(): Worker {
  const w = new Worker("worker.js", { type: "module" });
  w.onmessage = (event: MessageEvent<WorkerMessage>) => onWorkerMessage(event.data);
  return w;
}

function setStatus(text: string, kind: "idle" | "running" | "error" = "idle"): void {
  const status = $("status");
  status.textContent = text;
  status.className = kind;
}

function run(): void {
  worker?.terminate();
  worker = newWorker();
  $<HTMLButtonElement>("run").disabled = true;
  $<HTMLButtonElement>("cancel").disabled = false;
  $<HTMLProgressElement>("progress").value = 0;
  setStatus("running…", "running");
  const seed = $<HTMLInputElement>("seed").value.trim();
  const request: RunRequest = { kind: "run", text: editor.text(), file: `scenarios/${state.name}.yaml`, seed: seed === "" ? undefined : seed };
  worker.postMessage(request);
}

function cancel(): void {
  worker?.terminate();
  worker = null;
  $<HTMLButtonElement>("run").disabled = false;
  $<HTMLButtonElement>("cancel").disabled = true;
  setStatus("cancelled");
}

function onWorkerMessage(message: WorkerMessage): void {
  if (message.kind === "progress") {
    $<HTMLProgressElement>("progress").value = message.fraction;
    setStatus(`running ${message.variant}: ${Math.round(message.fraction * 100)}%`, "running");
    return;
  }
  $<HTMLButtonElement>("run").disabled = false;
  $<HTMLButtonElement>("cancel").disabled = true;
  if (message.kind === "invalid") {
    setStatus(message.issues.map((i) => `${i.file}${i.line > 0 ? `:${i.line}:${i.column}` : ""}: ${i.path === "" ? "" : `${i.path}: `}${i.message}`).join("\n"), "error");
    return;
  }
  if (message.kind === "failed") {
    setStatus(message.message, "error");
    return;
  }
  $<HTMLProgressElement>("progress").value = 1;
  state.report = message.report;
  state.traces = message.traces;
  state.json = message.json;
  const passed = message.report.expectations.filter((e) => e.passed).length;
  setStatus(`done: ${message.report.variants.length} variant(s), seed ${message.report.seed}; ${passed} of ${message.report.expectations.length} expectations hold`);
  showResults(message.report);
}

async function showResults(report: ScenarioReport): Promise<void> {
  $("summary").innerHTML = summarySection(report.variants.map((v) => v.summary)) + expectationsSection(report.expectations);
  $("json").textContent = state.json;
  const charts = $("charts");
  charts.replaceChildren();
  for (const chart of REPORT_CHARTS.filter((c) => c.hasData(report))) {
    const figure = document.createElement("figure");
    figure.innerHTML = `<h3>${escapeHtml(chart.title)}</h3><div class="chart"></div><figcaption>${escapeHtml(chart.caption)}</figcaption>`;
    charts.append(figure);
    await embed(figure.querySelector(".chart") as HTMLElement, withZoom(chart.spec(report)), { actions: false, renderer: "svg" });
  }
  const variantSelect = $<HTMLSelectElement>("anim-variant");
  variantSelect.replaceChildren(...report.variants.map((v) => new Option(v.summary.variant, v.summary.variant)));
  const slider = $<HTMLInputElement>("time");
  slider.max = String(report.variants[0]?.summary.simulatedMs ?? 0);
  slider.value = "0";
  drawFrame();
}

/** Drag to pan and wheel to zoom, on charts drawn in one view (layered ones included). */
function withZoom(spec: TopLevelSpec): TopLevelSpec {
  const zoom = { name: "zoom", select: "interval", bind: "scales" };
  const s = structuredClone(spec) as unknown as Record<string, unknown>;
  if ("mark" in s) return { ...s, params: [...((s.params as unknown[]) ?? []), zoom] } as TopLevelSpec;
  if (Array.isArray(s.layer) && s.layer.length > 0) {
    const first = s.layer[0] as Record<string, unknown>;
    s.layer = [{ ...first, params: [...((first.params as unknown[]) ?? []), zoom] }, ...s.layer.slice(1)];
  }
  return s as unknown as TopLevelSpec;
}

// The animation: a time slider over the recorded run, play/pause and a speed in simulated seconds per second.
let playing = false;
let lastFrame = 0;

function drawFrame(): void {
  const report = state.report;
  if (report === null) return;
  const variant = $<HTMLSelectElement>("anim-variant").value;
  const index = report.variants.findIndex((v) => v.summary.variant === variant);
  const trace = state.traces[index];
  const result = report.variants[index];
  if (trace === undefined || result === undefined) return;
  const canvas = $<HTMLCanvasElement>("world");
  const tMs = Number($<HTMLInputElement>("time").value);
  const speed = Number($<HTMLSelectElement>("speed").value);
  drawWorld(canvas.getContext("2d")!, trace, result.series, { tMs, minLifeMs: 250 * speed });
  $("clock").textContent = `t = ${(tMs / 1000).toFixed(2)} s · 1 dot = ${trace.stride} request${trace.stride === 1 ? "" : "s"}`;
}

function tick(now: number): void {
  if (!playing) return;
  const slider = $<HTMLInputElement>("time");
  const speed = Number($<HTMLSelectElement>("speed").value);
  const dt = lastFrame === 0 ? 0 : now - lastFrame;
  lastFrame = now;
  const next = Math.min(Number(slider.max), Number(slider.value) + dt * speed);
  slider.value = String(next);
  drawFrame();
  if (next >= Number(slider.max)) { playing = false; $("play").textContent = "Play"; return; }
  requestAnimationFrame(tick);
}

function togglePlay(): void {
  playing = !playing;
  $("play").textContent = playing ? "Pause" : "Play";
  lastFrame = 0;
  if (playing) requestAnimationFrame(tick);
}

// Sharing: the URL's hash says which scenario (or its text) and which seed.
function currentShare(): ShareState {
  const seed = $<HTMLInputElement>("seed").value.trim();
  return state.edited ? { text: editor.text(), name: state.name, seed } : { scenario: state.name, seed };
}

function updateShare(): void {
  history.replaceState(null, "", `#${encodeShare(currentShare())}`);
}

function loadScenario(name: string, text?: string): void {
  const entry = library.find((s) => s.name === name);
  state.name = name;
  editor.setText(text ?? entry?.text ?? "");
  state.edited = text !== undefined && text !== entry?.text;
  select.value = entry === undefined ? "" : name;
  updateShare();
}

select.addEventListener("change", () => loadScenario(select.value));
$("run").addEventListener("click", run);
$("cancel").addEventListener("click", cancel);
$("seed").addEventListener("change", updateShare);
$("play").addEventListener("click", togglePlay);
$("time").addEventListener("input", drawFrame);
$("anim-variant").addEventListener("change", drawFrame);
$("share").addEventListener("click", async () => {
  updateShare();
  await navigator.clipboard?.writeText(location.href).catch(() => undefined);
  setStatus(`link: ${location.href.length > 120 ? `${location.href.slice(0, 117)}...` : location.href}`);
});

const initial = decodeShare(location.hash.slice(1));
if (initial.seed !== undefined) $<HTMLInputElement>("seed").value = initial.seed;
if (initial.text !== undefined) loadScenario(initial.name ?? "custom", initial.text);
else loadScenario(initial.scenario !== undefined && library.some((s) => s.name === initial.scenario) ? initial.scenario : "black-hole");
(window as unknown as { lbsimPlayground: unknown }).lbsimPlayground = { state, run, editor };
