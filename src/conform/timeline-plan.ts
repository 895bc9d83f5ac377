// The scenario's timeline as wall-clock actions for the real run: commands to backend processes, GC pauses as
// SIGSTOP/SIGCONT of a backend's process, and deregistrations the proxy carries out. GC pauses are drawn from
// the model's own streams ("backend/<name>/gc/<kind>", src/model/world.ts) in the model's order
// (src/model/backend.ts: an interval of running time from each start, then pause, interval, pause, ...), so the
// real backend stops exactly when and for as long as the simulated one. Pure: unit-tested without processes.
import { Rng } from "../engine/rng.js";
import type { BackendConfig } from "../model/backend-config.js";
import type { BuiltRun } from "../scenario/build.js";
import type { BackendCommand } from "./backend-app.js";

export type PlannedAction =
  | { atUs: number; backend: string; kind: "command"; command: BackendCommand }
  /** Stop the backend's process for `pauseUs` (a stop-the-world GC pause). */
  | { atUs: number; backend: string; kind: "gc"; pauseUs: number }
  /** Deregister the backend at the proxy: drain for `delayUs`, then the backend goes away. */
  | { atUs: number; backend: string; kind: "remove"; delayUs: number }
  /** A new backend starts and joins the proxy (scale-out; World.addBackend): HAProxy only (`set server ... state ready`). */
  | { atUs: number; backend: string; kind: "add"; config: BackendConfig };

/** `traffic` is enacted by the arrival schedule (rate changes in the replayed arrivals), so it plans no action here. */
const SUPPORTED = new Set(["crash", "hang", "recover", "slow", "fast-5xx", "dependency-down", "dependency-up", "restart", "remove", "traffic", "add"]);

/** Every action of the run in time order; throws a RangeError for what the lab cannot enact. */
export function timelinePlan(built: BuiltRun): PlannedAction[] {
  const horizon = built.durationUs;
  const actions: PlannedAction[] = [];
  /** Process starts and stops per backend, to place GC pauses only while the process is up. */
  const lifetimes = new Map<string, Array<{ kind: "start" | "stop"; atUs: number }>>();
  /** Backends a timeline `add` starts mid-run. */
  const added: BackendConfig[] = [];
  for (const backend of built.world.backends) lifetimes.set(backend.name, [{ kind: "start", atUs: 0 }]);
  for (const step of built.timeline) {
    if (!SUPPORTED.has(step.action)) throw new RangeError(`timeline action "${step.action}" at ${step.atUs / 1e6}s is not enacted by the conformance lab`);
    if (step.action === "traffic") continue;
    if (step.action === "add") {
      for (const config of step.params.backends) {
        if (lifetimes.has(config.name)) throw new RangeError(`timeline add at ${step.atUs / 1e6}s: backend ${config.name} already exists`);
        lifetimes.set(config.name, [{ kind: "start", atUs: step.atUs }]);
        added.push(config);
        actions.push({ atUs: step.atUs, backend: config.name, kind: "add", config });
      }
      continue;
    }
    for (const name of step.targets) {
      const life = lifetimes.get(name);
      if (life === undefined) throw new RangeError(`timeline target ${name} is not a backend of the scenario`);
      const at = step.atUs;
      const command = (c: BackendCommand): void => void actions.push({ atUs: at, backend: name, kind: "command", command: c });
      switch (step.action) {
        case "crash": command({ kind: "crash" }); life.push({ kind: "stop", atUs: at }); break;
        case "hang": command({ kind: "hang" }); break;
        case "recover": command({ kind: "recover" }); life.push({ kind: "start", atUs: at }); break;
        case "slow": command({ kind: "slow", factor: step.params.factor }); break;
        case "fast-5xx": command({ kind: "fast-5xx", rate: step.params.rate }); break;
        case "dependency-down": command({ kind: "dependency-down", name: step.params.dependency }); break;
        case "dependency-up": command({ kind: "dependency-up", name: step.params.dependency }); break;
        case "restart": {
          command({ kind: "crash" });
          life.push({ kind: "stop", atUs: at });
          const startAt = at + step.params.delayUs;
          actions.push({ atUs: startAt, backend: name, kind: "command", command: { kind: "start" } });
          life.push({ kind: "start", atUs: startAt });
          break;
        }
        case "remove": actions.push({ atUs: at, backend: name, kind: "remove", delayUs: step.params.delayUs }); break;
        default: break;
      }
    }
  }
  for (const backend of [...built.world.backends, ...added]) actions.push(...gcPauses(backend, lifetimes.get(backend.name)!, String(built.seed), horizon));
  // Stable: equal times keep timeline order, as the model's event queue does.
  return actions.map((a, i) => ({ a, i })).sort((x, y) => x.a.atUs - y.a.atUs || x.i - y.i).map((x) => x.a);
}

/** The model's GC schedule for one backend: per kind, interval from each start, then pause / interval ... until a stop. */
export function gcPauses(backend: BackendConfig, life: ReadonlyArray<{ kind: "start" | "stop"; atUs: number }>, seed: string, horizonUs: number): PlannedAction[] {
  const out: PlannedAction[] = [];
  const root = Rng.root(seed);
  const sorted = [...life].sort((a, b) => a.atUs - b.atUs);
  for (const gc of backend.gc) {
    if (gc.trigger !== "time") throw new RangeError(`backend ${backend.name}: GC ${gc.name} follows load (trigger: allocation); the lab replays trigger: time only`);
    if (gc.pressure !== 0) throw new RangeError(`backend ${backend.name}: GC pressure depends on load; the lab replays pressure 0 only`);
    const rng = root.fork(`backend/${backend.name}/gc/${gc.name}`);
    let up = false;
    for (let i = 0; i < sorted.length; i++) {
      const event = sorted[i]!;
      if (event.kind === "stop") { up = false; continue; }
      if (up) continue; // recovering a running process does not restart it (Backend.recover)
      up = true;
      const stopAt = sorted.slice(i + 1).find((e) => e.kind === "stop")?.atUs ?? Infinity;
      let t = event.atUs + Math.max(1, Math.round(gc.intervalUs.sample(rng)));
      // Bounded: every step moves t forward by at least 1 us, and the horizon ends it.
      while (t < stopAt && t < horizonUs) {
        const pause = Math.max(0, Math.round(gc.pauseUs.sample(rng)));
        out.push({ atUs: t, backend: backend.name, kind: "gc", pauseUs: pause });
        t = t + pause + Math.max(1, Math.round(gc.intervalUs.sample(rng)));
      }
    }
  }
  return out;
}
