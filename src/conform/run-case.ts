// One conformance case end to end: lbsim's prediction, then the same scenario on the wall clock against the
// real proxy (backends, timeline, load), measured the same way and compared metric by metric. Every process is
// the supervisor's and dies by its PID in `finally`, whatever happened.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { executeRun } from "../lab/run-plan.js";
import { planFor } from "../lab/scenario-runs.js";
import { buildRun, loadScenario, type BuiltRun } from "../scenario/index.js";
import { arrivalSchedule, clientRetries } from "./arrival-schedule.js";
import { compareRuns } from "./compare-runs.js";
import type { ConformCase } from "./conform-case.js";
import { replay, type LoadRun, type TryResult } from "./load-generator.js";
import { measureReal, measureSimulated, realCause, type Measured } from "./measure.js";
import { labConfig } from "./lab-config.js";
import { freePort, haproxyCommand, proxyCommands, proxyVersion, renderTemplate, waitForPort } from "./proxies.js";
import { parseHaproxyHealth, parseNginxHealth, parseRequestLine, type HealthEvent, type ProxyRequestLog } from "./proxy-log.js";
import { Supervisor, type BackendHandle, type TimedLine } from "./supervisor.js";
import type { ProxyConfig } from "../proxy/proxy-config.js";
import type { ProxyStatus } from "../proxy/proxy-status.js";
import { DEEP_HEALTH_PATH, HEALTH_PATH, type BackendAppConfig } from "./backend-app.js";
import { timelinePlan } from "./timeline-plan.js";
import type { MetricRow } from "./tolerance.js";
import { caseStatus, type CaseStatus } from "./verdict.js";

/** Windows of the over-time curves, both sides. */
export const WINDOW_MS = 1_000;
/** The load generator is "too busy" when the 99th percentile of its lateness passes this... */
export const BUSY_P99_US = 10_000;
/** ...or any single send is this late... */
export const BUSY_MAX_US = 100_000;
/**
 * ...or the machine's 1-minute load average passed its core count during the run: more runnable work than cores,
 * so the proxy and the backends wait for a CPU even when the load generator keeps its schedule (a run at load 8 on
 * 2 cores had the load generator on time, p99 8 ms, while `lbsim proxy`'s p99 doubled).
 */
export function oversubscribed(loadAverageMax: number, cores: number = availableParallelism()): boolean {
  return loadAverageMax > cores;
}

export interface CaseRun {
  name: string;
  proxy: string;
  proxyVersion: string | null;
  /**
   * passed (every metric within tolerance, even if the machine was busy: lateness can only push a real run away
   * from the prediction, so agreement stands); failed (out of tolerance on a machine that kept the schedule, or
   * could not run): a model or mapping mismatch; inconclusive (out of tolerance, but the machine was too busy on
   * both runs: no verdict either way); known (out of tolerance only where a documented, unmodelled difference says
   * so); skipped (no binary).
   */
  status: CaseStatus;
  passed: boolean;
  /** Runs made: 2 when the first was too busy and the case ran again. */
  runs: number;
  /** The last run's load generator fell behind its schedule, or the machine was oversubscribed ("machine too busy"). */
  busy: boolean;
  /** The highest 1-minute load average seen during the last real run (null: no real run). */
  loadAverageMax: number | null;
  note: string;
  metrics: MetricRow[];
  real: Measured | null;
  simulated: Measured;
  latenessUs: LoadRun["latenessUs"] | null;
  wallMs: number;
  checkIntervalMs: number;
  about: string;
  /** What the proxy's configuration could not express of the scenario (lbsim export's list). */
  notExpressible: string[];
}

/** A case's scenario; `build()` gives a fresh run each time (arrival processes are stateful: one use each). */
export function loadCase(c: ConformCase, root: string): { build: () => BuiltRun; checkIntervalMs: number } {
  const loaded = loadScenario(resolve(root, c.scenario), c.variant === null ? {} : { variant: c.variant });
  const build = (): BuiltRun => buildRun(loaded, c.variant);
  const built = build();
  const active = built.tier.nodes[0]?.health.active ?? null;
  return { build, checkIntervalMs: active === null ? passiveIntervalMs(built.config) : active.intervalUs / 1000 };
}

/**
 * Passive health (NGINX max_fails) has no check interval: its "checks" are the requests a server gets. The
 * detection tolerance is then the mean time between two requests to one server, backends / arrival rate (the
 * clients' Poisson or constant rates; 0 when the scenario has neither).
 */
export function passiveIntervalMs(config: BuiltRun["config"]): number {
  let rate = 0;
  for (const group of config.clients) {
    if (group.load.kind !== "open") continue;
    const a = group.load.arrivals;
    if (a.kind === "poisson" || a.kind === "constant") rate += a.ratePerSecond;
  }
  return rate > 0 ? (1000 * config.backends.length) / rate : 0;
}

/** lbsim's prediction, with 1 s windows to match the real side's curves. */
export function predict(built: BuiltRun): Measured {
  const plan = { ...planFor(built), windowUs: WINDOW_MS * 1000 };
  return measureSimulated(executeRun(plan), WINDOW_MS);
}

/** Runs a case, once more if the first run was too busy (issue 17: one rerun, recorded). */
export async function runCase(c: ConformCase, root: string): Promise<CaseRun> {
  const { build, checkIntervalMs } = loadCase(c, root);
  const simulated = predict(build());
  const version = proxyVersion(c.proxy);
  const base = { name: c.name, proxy: c.proxy, proxyVersion: version, simulated, checkIntervalMs, about: c.about };
  if (version === null) {
    return { ...base, status: "skipped", passed: true, runs: 0, busy: false, loadAverageMax: null, note: `${c.proxy} is not installed`, metrics: [], real: null, latenessUs: null, wallMs: 0, notExpressible: [] };
  }
  let runs = 0;
  let last: CaseRun | null = null;
  while (runs < 2) {
    runs++;
    const started = performance.now();
    let real: RealRun;
    try {
      real = await runReal(c, build(), root);
    } catch (error) {
      // A case that could not run (the proxy refused its configuration, a port in use...) fails with the reason;
      // the suite goes on with the next case.
      return { ...base, status: "failed", passed: false, runs, busy: false, loadAverageMax: null, note: `could not run: ${(error as Error).message.split("\n")[0]}`, metrics: [], real: null, latenessUs: null, wallMs: Math.round(performance.now() - started), notExpressible: [] };
    }
    const late = real.load.latenessUs.p99 > BUSY_P99_US || real.load.latenessUs.max > BUSY_MAX_US;
    const busy = late || oversubscribed(real.loadAverageMax);
    const metrics = compareRuns(c.metrics, real.measured, simulated, checkIntervalMs);
    const status = caseStatus(metrics, c.known?.metrics ?? null, busy);
    const inTolerance = status === "passed";
    const known = status === "known";
    const l = real.load.latenessUs;
    const why = `load average up to ${real.loadAverageMax.toFixed(1)} on ${availableParallelism()} cores, load generator late by p99 ${(l.p99 / 1000).toFixed(1)} ms, max ${(l.max / 1000).toFixed(1)} ms`;
    last = {
      ...base, runs, busy, metrics, real: real.measured, latenessUs: l, loadAverageMax: real.loadAverageMax, wallMs: Math.round(performance.now() - started), notExpressible: real.notExpressible,
      status, passed: inTolerance,
      note: known ? `known difference: ${c.known!.why}` : busy ? `machine too busy (${why})${inTolerance ? ", every metric within tolerance all the same" : ": out of tolerance, no verdict"}` : "",
    };
    // A busy run within tolerance is a verdict; a busy run out of tolerance runs once more.
    if (!busy || inTolerance) break;
  }
  return last!;
}

interface RealRun {
  measured: Measured;
  load: LoadRun;
  notExpressible: string[];
  loadAverageMax: number;
}

async function runReal(c: ConformCase, built: BuiltRun, root: string): Promise<RealRun> {
  const schedule = arrivalSchedule(built);
  const plan = timelinePlan(built);
  const dir = mkdtempSync(join(tmpdir(), `lbsim-conform-${c.name}-`));
  const supervisor = new Supervisor(performance.now(), () => performance.now());
  const timers: NodeJS.Timeout[] = [];
  // The machine's load during the run, sampled every second (the 1-minute average lags: the run's own start counts).
  let loadAverageMax = loadavg()[0]!;
  const loadSampler = setInterval(() => (loadAverageMax = Math.max(loadAverageMax, loadavg()[0]!)), 1_000);
  try {
    const added = plan.flatMap((a) => (a.kind === "add" ? [a.config] : []));
    if (added.length > 0 && c.proxy !== "haproxy") {
      throw new RangeError(`timeline add is enacted on HAProxy only (a server declared disabled, then \`set server ... state ready\`); ${c.proxy} would need a reload or an admin endpoint the lab does not drive`);
    }
    const handles = new Map<string, BackendHandle>();
    for (const b of [...built.world.backends, ...added]) {
      const config: BackendAppConfig = {
        name: b.name, workers: b.workers, queueLimit: b.queueLimit, backlog: b.backlog, speedFactor: b.speedFactor, warmup: b.warmup,
        coldStart: b.coldStart, healthCheckCostUs: b.healthCheckCostUs, fastFailUs: b.fastFailUs, readiness: b.readiness, seed: String(built.seed),
      };
      const handle = await supervisor.startBackend(config);
      // A backend the timeline adds exists from the start only to know its port: not listening until its `add`.
      if (added.includes(b)) handle.send({ kind: "crash" });
      handles.set(b.name, handle);
    }
    const target = c.proxy === "lbsim" ? await startLbsimProxy(built, handles, supervisor) : await startRealProxy(c, c.proxy, built, root, handles, supervisor, dir, added.map((b) => b.name));
    // Time zero of the run: the timeline and the arrivals count from here.
    const t0 = performance.now();
    target.started(t0);
    for (const action of plan) {
      const handle = handles.get(action.backend)!;
      timers.push(setTimeout(() => {
        if (action.kind === "command") handle.send(action.command);
        else if (action.kind === "gc") supervisor.pause(handle.pid, action.pauseUs / 1000);
        else if (action.kind === "add") void target.add(action.backend, handle);
        else void target.remove(action.backend, action.delayUs, handle);
      }, action.atUs / 1000));
    }
    const cause = (t: TryResult): string => realCause({ id: -1, atUs: 0, sentUs: 0, latencyUs: 0, tries: 1, ...t }, undefined);
    const load = await replay(schedule, { host: "127.0.0.1", port: target.port }, t0, built.durationUs / 1000 + 250, clientRetries(built), cause);
    await new Promise((r) => setTimeout(r, 200)); // let the proxy flush its last log lines
    const seen = await target.finish(t0);
    loadAverageMax = Math.max(loadAverageMax, loadavg()[0]!);
    return { measured: measureReal(load.results, seen.logs, seen.health, built.durationUs, WINDOW_MS, seen.attempts), load, notExpressible: target.notExpressible, loadAverageMax };
  } finally {
    clearInterval(loadSampler);
    for (const t of timers) clearTimeout(t);
    supervisor.killAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A proxy under test, started: where it listens and how the lab reads what it did. */
interface Target {
  port: number;
  notExpressible: string[];
  started(t0: number): void;
  remove(backend: string, delayUs: number, handle: BackendHandle): Promise<void>;
  /** A backend the timeline adds: its process starts listening and the proxy takes it into rotation. */
  add(backend: string, handle: BackendHandle): Promise<void>;
  finish(t0: number): Promise<{ logs: Map<number, ProxyRequestLog>; health: HealthEvent[]; attempts?: Record<string, number> }>;
}

/** HAProxy or NGINX with lbsim export's configuration (or the case's template), watched through its logs. */
async function startRealProxy(c: ConformCase, proxy: "haproxy" | "nginx", built: BuiltRun, root: string, handles: Map<string, BackendHandle>, supervisor: Supervisor, dir: string, added: readonly string[]): Promise<Target> {
  const lines: TimedLine[] = [];
  const port = await freePort();
  const stats = join(dir, "admin.sock");
  const servers = new Map([...handles].map(([name, h]) => [name, `127.0.0.1:${h.port}`]));
  const byAddress = new Map([...handles].map(([name, h]) => [`127.0.0.1:${h.port}`, name]));
  const serverName = (s: string): string => byAddress.get(s) ?? s;
  let text: string;
  let backendSection = "be";
  let notExpressible: string[] = [];
  if (c.config === null) {
    const lab = labConfig(built.config, proxy, { listen: `127.0.0.1:${port}`, servers, adminSocket: stats, dir, added });
    text = lab.text;
    backendSection = lab.backendSection;
    notExpressible = lab.notExpressible.map((n) => `${n.what}: ${n.why}`);
  } else {
    text = renderTemplate(readFileSync(resolve(root, c.config), "utf8"), { listen: `127.0.0.1:${port}`, stats, dir, servers }, c.config);
  }
  const configFile = join(dir, proxy === "haproxy" ? "haproxy.cfg" : "nginx.conf");
  writeFileSync(configFile, text);
  const commands = proxyCommands(proxy, configFile, dir);
  try {
    execFileSync(commands.check[0]!, commands.check.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    throw new Error(`${proxy} rejected the configuration of ${c.name}: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`);
  }
  const child = supervisor.startProgram(commands.run[0]!, commands.run.slice(1), (line) => lines.push(line));
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`${proxy} exited with code ${code} before listening: ${lines.filter((l) => l.stream === "stderr").map((l) => l.text).slice(-3).join(" | ")}`))));
  await Promise.race([waitForPort(port, 5_000), exited]);
  return {
    port,
    notExpressible,
    started: () => undefined,
    remove: (backend, delayUs, handle) => remove(proxy, stats, `${backendSection}/${backend}`, delayUs, handle),
    add: async (backend, handle) => {
      // HAProxy leaving maintenance with checks on sets check.health = rise ("start OK but check immediately",
      // server.c srv_update_status): UP at once, with slowstart if configured, as lbsim's World.addBackend.
      handle.send({ kind: "start" });
      await haproxyCommand(stats, `set server ${backendSection}/${backend} state ready`).catch(() => "");
    },
    finish: async (t0) => {
      const epochShift = t0 - supervisor.epochMs;
      const logs = new Map<number, ProxyRequestLog>();
      const health: HealthEvent[] = [];
      if (proxy === "nginx") {
        // NGINX's access log is a file (see lab-config.ts); per-request lines need no arrival times.
        const accessLog = join(dir, "access.log");
        const text = existsSync(accessLog) ? readFileSync(accessLog, "utf8") : "";
        for (const line of text.split("\n")) {
          const request = parseRequestLine(line, serverName);
          if (request !== null) logs.set(request.id, request);
        }
      }
      for (const raw of lines) {
        const line = { ...raw, atMs: raw.atMs - epochShift };
        const request = parseRequestLine(line.text, serverName);
        if (request !== null) { logs.set(request.id, request); continue; }
        const event = proxy === "haproxy" ? parseHaproxyHealth(line) : parseNginxHealth(line, serverName);
        if (event !== null) health.push(event);
      }
      return { logs, health };
    },
  };
}

/** How often the lab reads lbsim proxy's /lbsim/status for health changes: the resolution of its transition times. */
export const STATUS_POLL_MS = 50;

const PROXY_HEALTH: Record<string, HealthEvent["state"]> = { healthy: "up", unhealthy: "down", draining: "drain", drained: "maint" };

/**
 * lbsim's own proxy (`lbsim proxy`, src/proxy) with the scenario's parsed `lb` section, in its own process. Health
 * transitions are read by polling its admin document every STATUS_POLL_MS; attempts per backend from its counters.
 */
async function startLbsimProxy(built: BuiltRun, handles: Map<string, BackendHandle>, supervisor: Supervisor): Promise<Target> {
  const active = built.config.lb.health.active;
  const config: ProxyConfig = {
    listen: { host: "127.0.0.1", port: 0 },
    admin: { host: "127.0.0.1", port: 0 },
    backends: built.world.backends.map((b) => ({ name: b.name, host: "127.0.0.1", port: handles.get(b.name)!.port, weight: b.weight, backup: b.backup })),
    healthPath: active?.probe === "deep" ? DEEP_HEALTH_PATH : HEALTH_PATH,
    shutdownTimeout: 1_000_000,
    lb: built.config.lb,
  };
  const { message } = await supervisor.forkEntry<{ kind: string; port: number; adminPort: number | null }>("lbsim-proxy-process", [JSON.stringify(config)], "lbsim proxy");
  const adminPort = message.adminPort;
  if (adminPort === null) throw new Error("lbsim proxy started without its admin port");
  const health: HealthEvent[] = [];
  const last = new Map<string, string>();
  let poller: NodeJS.Timeout | null = null;
  let t0 = 0;
  const poll = async (): Promise<ProxyStatus | null> => {
    try {
      const status = (await (await fetch(`http://127.0.0.1:${adminPort}/lbsim/status`)).json()) as ProxyStatus;
      const atMs = performance.now() - t0;
      for (const b of status.backends) {
        const before = last.get(b.name) ?? "healthy";
        if (b.health !== before && t0 > 0) health.push({ atMs, backend: b.name, state: PROXY_HEALTH[b.health] ?? "down", reason: b.reason });
        last.set(b.name, b.health);
      }
      return status;
    } catch {
      return null;
    }
  };
  return {
    port: message.port,
    notExpressible: [],
    started: (at) => {
      t0 = at;
      poller = setInterval(() => void poll(), STATUS_POLL_MS);
    },
    remove: async () => {
      throw new Error("the lbsim target does not enact remove yet");
    },
    add: async () => {
      throw new Error("the lbsim target does not enact add yet");
    },
    finish: async () => {
      if (poller) clearInterval(poller);
      const status = await poll();
      const attempts: Record<string, number> = {};
      for (const b of status?.backends ?? []) attempts[b.name] = b.counters.tries;
      return { logs: new Map(), health, attempts };
    },
  };
}

/**
 * A deregistration at the proxy. HAProxy: `set server <be>/<srv> state drain` on the admin socket, then after the
 * delay `state maint` and the backend stops (crash). A delay of 0 is the abrupt removal: maint and crash at once.
 */
async function remove(proxy: "haproxy" | "nginx", stats: string, server: string, delayUs: number, handle: BackendHandle): Promise<void> {
  if (proxy !== "haproxy") return;
  if (delayUs > 0) {
    await haproxyCommand(stats, `set server ${server} state drain`).catch(() => "");
    await new Promise((r) => setTimeout(r, delayUs / 1000));
  }
  await haproxyCommand(stats, `set server ${server} state maint`).catch(() => "");
  handle.send({ kind: "crash" });
}
