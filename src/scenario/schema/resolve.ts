// Cross-section resolution, run once every section is valid: backend groups become named backends, timeline
// targets become backend names (deploys become batches of restarts), traffic steps are checked against the
// client groups, and expectations are checked against the variants and metrics that exist.
import type { z } from "zod";
import { formatDuration } from "../../engine/time.js";
import { didYouMean } from "../errors/did-you-mean.js";
import { isKnownMetric, knownMetrics, METRIC_EXPECTED, RENAMED_METRICS } from "../metric-path.js";
import type { TimelineStep } from "../timeline-step.js";
import { MAGLEV_TABLE_SIZE } from "../../balancers/maglev-table.js";
import type { BalancerSpec } from "../../balancers/balancer-spec.js";
import { MAX_RATE_PER_SECOND } from "../../model/arrivals/arrival-process.js";
import { ARRIVAL_RATE_BOUND } from "./arrivals.js";
import { expandGroup, MAX_BACKENDS_PER_GROUP, type BackendGroup, type BackendSpec } from "./backends.js";
import { boundIssue } from "./bounds.js";
import { triesFor } from "./lb.js";
import { resolveTargets, type KnownBackends } from "./targets.js";
import type { TimelineStepInput } from "./timeline.js";
import type { ScenarioDocument } from "./scenario.js";

/** ALB `deregistration_delay.timeout_seconds` default, for `remove` when neither it nor the health config says. */
const DEFAULT_DEREGISTRATION_DELAY_US = 300_000_000;

function issue(ctx: z.RefinementCtx, path: Array<string | number>, expected: string, got: string, didYouMeanWord?: string): void {
  const params: Record<string, unknown> = { expected };
  if (didYouMeanWord !== undefined) params.didYouMean = didYouMeanWord;
  ctx.addIssue({ code: "custom", path, message: `expected ${expected}, got ${got}`, params });
}

export function resolveScenario(doc: ScenarioDocument, ctx: z.RefinementCtx) {
  if (doc.warmup >= doc.duration) issue(ctx, ["warmup"], `a warmup shorter than the duration (${formatDuration(doc.duration)})`, formatDuration(doc.warmup));
  uniqueNames(ctx, "clients", doc.clients.map((c) => c.name));
  uniqueNames(ctx, "backends", doc.backends.map((b) => b.name));
  const clients = doc.clients.map((c, g) => ({ ...c, addressPrefix: c.addressPrefix ?? `10.${100 + g}` }));
  const backends = doc.backends.flatMap((group, g) => expandGroup(group, g, 1, group.count ?? 1));
  uniqueNames(ctx, "backends", backends.map((b) => b.name), "backend name (after expanding counts)");
  const timeline = resolveTimeline(doc, clients, backends, ctx);
  const everyName = [...backends.map((b) => b.name), ...timeline.flatMap((s) => (s.action === "add" ? s.targets : []))];
  checkMaglevTable(doc.lb.algorithm, everyName.length + timeline.reduce((n, s) => n + (s.action === "deploy" ? s.targets.length : 0), 0), ctx);
  checkExpectations(doc, everyName, ctx);
  return {
    name: doc.name,
    title: doc.title ?? doc.name,
    description: doc.description,
    seed: doc.seed,
    durationUs: doc.duration,
    warmupUs: doc.warmup,
    maxEvents: doc.maxEvents ?? null,
    network: { clientToLbUs: doc.network.clientToLb, lbToBackendUs: doc.network.lbToBackend },
    sessions: doc.sessions,
    clients,
    // NGINX `proxy_next_upstream_tries 0`: unlimited, but each server is tried at most once (the tried bitmap).
    lb: { ...doc.lb, retries: { ...doc.lb.retries, tries: triesFor(doc.lb.retries.tries, backends.length) } },
    backendGroups: doc.backends,
    backends,
    timeline,
    variants: doc.variants,
    expect: doc.expect,
  };
}

function uniqueNames(ctx: z.RefinementCtx, section: string, names: readonly string[], what = "name"): void {
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (seen.has(name)) issue(ctx, what === "name" ? [section, i, "name"] : [section], `a unique ${what}`, `"${name}" twice`);
    seen.add(name);
  });
}

function resolveTimeline(doc: ScenarioDocument, clients: ScenarioDocument["clients"], initial: BackendSpec[], ctx: z.RefinementCtx): TimelineStep[] {
  const known: KnownBackends = { names: initial.map((b) => b.name), groups: new Map() };
  for (const b of initial) known.groups.set(b.group, [...(known.groups.get(b.group) ?? []), b.name]);
  const groups = new Map<string, { group: BackendGroup; index: number; next: number }>();
  doc.backends.forEach((group, index) => groups.set(group.name, { group, index, next: (group.count ?? 1) + 1 }));
  const steps: TimelineStep[] = [];
  // Steps apply in time order (stable for equal times), so a target added at 2m exists for a step at 3m.
  const order = doc.timeline.map((step, index) => ({ step, index })).sort((a, b) => a.step.atUs - b.step.atUs);
  for (const { step, index } of order) {
    if (step.atUs >= doc.duration) {
      issue(ctx, ["timeline", index, "at"], `a time before the end of the run (${formatDuration(doc.duration)})`, formatDuration(step.atUs));
      continue;
    }
    steps.push(...resolveStep(step, index, { doc, clients, known, groups, ctx }));
  }
  return steps;
}

interface StepContext {
  doc: ScenarioDocument;
  clients: ScenarioDocument["clients"];
  known: KnownBackends;
  groups: Map<string, { group: BackendGroup; index: number; next: number }>;
  ctx: z.RefinementCtx;
}

function resolveStep(step: TimelineStepInput, index: number, c: StepContext): TimelineStep[] {
  const path = ["timeline", index];
  const { atUs, action } = step;
  const p = step.params;
  if (action === "add" || action === "traffic") {
    if (step.targets !== null || step.count !== null) {
      issue(c.ctx, [...path, step.targets !== null ? "targets" : "count"], `no targets for \`${action}\` (${action === "add" ? "use like: or group:" : "use groups:"})`, "targets");
      return [];
    }
    return action === "add" ? addStep(step, index, c) : trafficStep(step, index, c);
  }
  const resolved = resolveTargets(step.targets, step.count, c.known);
  if (!("names" in resolved)) {
    const targetPath = step.targets !== null && step.targets.length > 1 ? [...path, "targets", resolved.index] : [...path, "targets"];
    const params: Record<string, unknown> = { expected: "an existing backend name, group name or range" };
    const suggestion = didYouMean(resolved.selector, resolved.candidates);
    if (suggestion !== undefined) params.didYouMean = suggestion;
    c.ctx.addIssue({ code: "custom", path: targetPath, message: `expected ${resolved.problem.startsWith("a ") ? resolved.problem : `a known backend: ${resolved.problem}`}`, params });
    return [];
  }
  const targets = resolved.names;
  const label = `${action} ${targets.length === c.known.names.length ? "all" : targets.join(", ")}`;
  switch (action) {
    case "crash":
    case "hang":
    case "recover":
      return [{ atUs, targets, label, action, params: {} }];
    case "slow":
      return [{ atUs, targets, label, action, params: { factor: p.factor as number } }];
    case "fast-5xx":
      return [{ atUs, targets, label, action, params: { rate: p.rate as number } }];
    case "dependency-down":
    case "dependency-up":
      return [{ atUs, targets, label: `${action} ${p.name as string}`, action, params: { dependency: p.name as string } }];
    case "restart":
      return [{ atUs, targets, label, action, params: { delayUs: p.delay as number } }];
    case "remove": {
      const delayUs = (p.delay as number | undefined) ?? c.doc.lb.health.drain.deregistrationDelayUs ?? DEFAULT_DEREGISTRATION_DELAY_US;
      for (const name of targets) c.known.names.splice(c.known.names.indexOf(name), 1);
      for (const [g, names] of c.known.groups) c.known.groups.set(g, names.filter((n) => !targets.includes(n)));
      return [{ atUs, targets, label, action, params: { delayUs } }];
    }
    case "deploy": {
      const rolling = p.rolling as { batch: number; interval: number; delay: number };
      return [{ atUs, targets, label: `deploy ${targets.join(", ")}`, action, params: { batchSize: rolling.batch, intervalUs: rolling.interval, drainUs: rolling.delay } }];
    }
  }
}

function addStep(step: TimelineStepInput, index: number, c: StepContext): TimelineStep[] {
  const p = step.params as { count?: number; like?: string; group?: BackendGroup };
  let specs: BackendSpec[];
  if (p.group !== undefined) {
    if (c.groups.has(p.group.name)) {
      issue(c.ctx, ["timeline", index, "add", "group", "name"], "a new group name (use like: to add to an existing group)", `"${p.group.name}"`);
      return [];
    }
    const groupIndex = c.groups.size;
    c.groups.set(p.group.name, { group: p.group, index: groupIndex, next: (p.group.count ?? 1) + 1 });
    specs = expandGroup(p.group, groupIndex, 1, p.group.count ?? 1);
  } else {
    const likeName = p.like ?? c.doc.backends[0]!.name;
    const like = c.groups.get(likeName);
    if (like === undefined) {
      const params: Record<string, unknown> = { expected: `a backend group: ${[...c.groups.keys()].join(", ")}` };
      const suggestion = didYouMean(likeName, [...c.groups.keys()]);
      if (suggestion !== undefined) params.didYouMean = suggestion;
      c.ctx.addIssue({ code: "custom", path: ["timeline", index, "add", "like"], message: `expected a backend group (${[...c.groups.keys()].join(", ")}), got "${likeName}"`, params });
      return [];
    }
    // Added hosts continue the group's numbering (app-11 after app-10), so a single-host group becomes app-2, ...
    const room = MAX_BACKENDS_PER_GROUP - (like.next - 1);
    if ((p.count ?? 1) > room) {
      boundIssue(c.ctx, ["timeline", index, "add", "count"], `at most ${room} more backends in group ${likeName} (a group's hosts are numbered within one /24: ${MAX_BACKENDS_PER_GROUP} in all)`, String(p.count));
      return [];
    }
    const counted = { ...like.group, count: like.group.count ?? 1 };
    specs = expandGroup(counted, like.index, like.next, p.count ?? 1);
    like.next += p.count ?? 1;
  }
  for (const spec of specs) {
    if (c.known.names.includes(spec.name)) {
      issue(c.ctx, ["timeline", index, "add"], "new backend names", `"${spec.name}", which already exists`);
      return [];
    }
    c.known.names.push(spec.name);
    c.known.groups.set(spec.group, [...(c.known.groups.get(spec.group) ?? []), spec.name]);
  }
  const targets = specs.map((s) => s.name);
  return [{ atUs: step.atUs, targets, label: `add ${targets.join(", ")}`, action: "add", params: { backends: specs } }];
}

function trafficStep(step: TimelineStepInput, index: number, c: StepContext): TimelineStep[] {
  const p = step.params as { multiplier?: number; rate?: number; ramp: number; groups?: string[] };
  const open = c.clients.filter((g) => g.load.kind === "open").map((g) => g.name);
  const groups = p.groups ?? open;
  for (const [i, name] of groups.entries()) {
    const group = c.clients.find((g) => g.name === name);
    const path = ["timeline", index, "traffic", "groups", i];
    if (group === undefined) {
      const params: Record<string, unknown> = { expected: `a client group: ${c.clients.map((g) => g.name).join(", ")}` };
      const suggestion = didYouMean(name, c.clients.map((g) => g.name));
      if (suggestion !== undefined) params.didYouMean = suggestion;
      c.ctx.addIssue({ code: "custom", path, message: `expected a client group (${c.clients.map((g) => g.name).join(", ")}), got "${name}"`, params });
      return [];
    }
    const kind = group.load.kind === "open" ? group.load.arrivals.kind : group.load.kind;
    if (kind !== "poisson") {
      issue(c.ctx, p.groups === undefined ? ["timeline", index, "traffic"] : path, `a client group with a poisson arrival process (traffic changes its rate over time)`, `group ${name} with ${kind} load`);
      return [];
    }
  }
  if (groups.length === 0) {
    issue(c.ctx, ["timeline", index, "traffic"], "an open-loop client group to change", "none");
    return [];
  }
  if (p.multiplier !== undefined) {
    // Every group here is Poisson (checked above); its new rate is the multiplier times its base rate.
    for (const name of groups) {
      const arrivals = c.clients.find((g) => g.name === name)!.load;
      const base = arrivals.kind === "open" && arrivals.arrivals.kind === "poisson" ? arrivals.arrivals.ratePerSecond : 0;
      if (base * p.multiplier > MAX_RATE_PER_SECOND) {
        boundIssue(c.ctx, ["timeline", index, "traffic", "multiplier"], `at most x${MAX_RATE_PER_SECOND / base} for group ${name} (${base}/s): a rate of at most ${MAX_RATE_PER_SECOND.toLocaleString("en-US")}/s, ${ARRIVAL_RATE_BOUND.why}`, String(p.multiplier));
        return [];
      }
    }
  }
  const what = p.multiplier !== undefined ? `x${p.multiplier}` : `${p.rate}/s`;
  return [{
    atUs: step.atUs, targets: [], label: `traffic ${what} (${groups.join(", ")})`, action: "traffic",
    params: { groups, multiplier: p.multiplier ?? null, ratePerSecond: p.rate ?? null, rampUs: p.ramp },
  }];
}

/** A Maglev table needs more slots than backends (MaglevPicker); count every backend the scenario ever names. */
function checkMaglevTable(algorithm: BalancerSpec, backends: number, ctx: z.RefinementCtx): void {
  const spec = algorithm.algorithm === "sticky" ? algorithm.base : algorithm;
  if (spec === undefined || spec.algorithm !== "consistent-hash" || spec.method !== "maglev") return;
  const size = spec.tableSize ?? MAGLEV_TABLE_SIZE;
  if (size > backends) return;
  boundIssue(ctx, ["lb", "algorithm"], `a Maglev table size above the ${backends} backends this scenario names, timeline included (every backend needs a slot)`, String(size));
}

function checkExpectations(doc: ScenarioDocument, backendNames: readonly string[], ctx: z.RefinementCtx): void {
  const variantNames = doc.variants.map((v) => v.name);
  doc.expect.forEach((e, i) => {
    const checkVariant = (name: string | null, path: Array<string | number>) => {
      if (name === null || variantNames.includes(name)) return;
      const params: Record<string, unknown> = { expected: variantNames.length === 0 ? "no variant (the scenario has none)" : `a variant: ${variantNames.join(", ")}` };
      const suggestion = didYouMean(name, variantNames);
      if (suggestion !== undefined) params.didYouMean = suggestion;
      ctx.addIssue({ code: "custom", path, message: `expected ${params.expected as string}, got "${name}"`, params });
    };
    checkVariant(e.variant, ["expect", i, "variant"]);
    for (const side of ["above", "below"] as const) {
      const bound = e[side];
      if (bound !== null && "variant" in bound) checkVariant(bound.variant, ["expect", i, side, "variant"]);
    }
    if (!isKnownMetric(e.metric, backendNames)) {
      const params: Record<string, unknown> = { expected: METRIC_EXPECTED };
      const suggestion = RENAMED_METRICS[e.metric] ?? didYouMean(e.metric, knownMetrics(backendNames));
      if (suggestion !== undefined) params.didYouMean = suggestion;
      ctx.addIssue({ code: "custom", path: ["expect", i, "metric"], message: `expected ${params.expected as string}, got "${e.metric}"`, params });
    }
  });
}
