// What every export shares: the list of what a proxy cannot say, the checks that are the same for every proxy
// (a single config file is one balancer node; lbsim extensions have no proxy directive), and the backends'
// addresses, injectable so the conformance lab can point a real proxy at its own loopback backends.
import type { BalancerSpec } from "../balancers/balancer-spec.js";
import type { ActiveCheckConfig } from "../health/active-check-config.js";
import type { ScenarioConfig } from "../scenario/schema/scenario.js";
import type { BackendSpec } from "../scenario/schema/backends.js";
import type { ExportOptions, NotCarried } from "./types.js";

export type LbConfig = ScenarioConfig["lb"];

export class NotExpressible {
  readonly items: NotCarried[] = [];

  add(what: string, why: string): void {
    this.items.push({ what, line: 0, why });
  }

  /** The list as comment lines for the top of a config file (`prefix` is the proxy's comment mark). */
  header(prefix: string, proxyName: string): string[] {
    if (this.items.length === 0) return [`${prefix} Everything in the scenario's balancer tier is expressed below.`];
    return [`${prefix} Not expressible in ${proxyName} (lbsim models these; this file cannot say them):`, ...this.items.map((n) => `${prefix}   - ${n.what}: ${n.why}`)];
  }
}

/** The backends a config lists: the scenario's initial ones (timeline `add` steps are runtime changes). */
export function exportedBackends(config: ScenarioConfig, options: ExportOptions): Array<{ spec: BackendSpec; address: string }> {
  return config.backends.map((spec, i) => ({ spec, address: options.backendAddress?.(spec, i) ?? spec.address }));
}

export function listenAddress(options: ExportOptions): string {
  return options.listen ?? "127.0.0.1:8000";
}

/** Checks no proxy config can carry: several nodes, how clients spread over them, and lbsim's own extensions. */
export function commonTierChecks(lb: LbConfig, notes: NotExpressible): void {
  if (lb.nodes.length > 1) notes.add("lb.nodes", `${lb.nodes.length} nodes: one config file is one balancer node (run one copy per node)`);
  if (lb.spread.kind !== "round-robin") notes.add("lb.spread", "how clients reach the nodes (DNS stickiness) is outside a proxy's config");
  if (lb.dynamicWeights !== null) notes.add("lb.dynamicWeights", "latency-driven weights are an lbsim extension (the founding article's updateWeight)");
  if (lb.loadFeedback !== null) notes.add("lb.loadFeedback", "shared load reports need an agent beside each backend (HAProxy agent-check); not generated");
  if (lb.retries.hedge !== null) notes.add("lb.retries.hedge", "no request hedging in HAProxy or NGINX; Envoy hedges only on per-try timeouts");
  const overhead = lb.parseOverhead as unknown as { kind?: string; value?: number };
  if (!(overhead.kind === "constant" && overhead.value === 1000)) notes.add("lb.parseOverhead", "the proxy's own processing time is a property of the machine, not of its config");
}

/** Active-check fields a proxy fixes (cannot configure): each one whose scenario value differs is listed. */
export function fixedCheckFields(active: ActiveCheckConfig, fixed: Partial<ActiveCheckConfig>, notes: NotExpressible, proxyName: string, edgeIntervals = false): void {
  for (const [key, value] of Object.entries(fixed) as Array<[keyof ActiveCheckConfig, unknown]>) {
    if (JSON.stringify(active[key]) !== JSON.stringify(value)) notes.add(`lb.health.${key}`, `${proxyName} always uses ${JSON.stringify(value)}; the scenario has ${JSON.stringify(active[key])}`);
  }
  for (const key of ["healthyEdgeIntervalUs", "unhealthyEdgeIntervalUs"] as const) {
    if (active[key] !== undefined && !edgeIntervals) notes.add(`lb.health.${key}`, `${proxyName} has no edge intervals (Envoy healthy_edge_interval/unhealthy_edge_interval)`);
  }
}

/** Whether the tier retries at all (L7, more than one try, some condition listed): else the retry target is inert. */
export function retriesHappen(lb: LbConfig): boolean {
  return lb.mode === "l7" && lb.retries.tries > 1 && lb.retries.on.length > 0;
}

/** What each retry target does, for the notes of a proxy that cannot say it. */
export const RETRY_TARGET_TEXT: Readonly<Record<LbConfig["retries"]["target"], string>> = {
  "next-upstream": "NGINX's next untried server",
  "same-server": "HAProxy's same server (no `option redispatch`)",
  redispatch: "HAProxy's `option redispatch <interval>`",
  any: "Envoy's any host (no retry_host_predicate)",
  "previous-hosts": "Envoy's previous_hosts predicate",
};

/** A readable name for an algorithm spec in messages. */
export function algorithmText(spec: BalancerSpec): string {
  return JSON.stringify(spec);
}

/** True when every backend has the same weight (then lbsim round-robin and weighted round robin agree). */
export function equalWeights(backends: readonly BackendSpec[]): boolean {
  return backends.every((b) => b.weight === backends[0]?.weight);
}

/** lbsim round-robin (alone, or placing sticky sessions) ignores weights, so exports write every weight as 1. */
export function ignoresWeights(lb: LbConfig): boolean {
  const spec = lb.algorithm;
  return spec.algorithm === "round-robin" || (spec.algorithm === "sticky" && (spec.base?.algorithm ?? "round-robin") === "round-robin");
}
