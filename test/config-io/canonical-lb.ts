// The `lb` section up to fields that have no effect in that configuration, for round-trip comparisons: a proxy
// config cannot carry a value that changes nothing, so import gives back its default there. Each rule says why the
// field is inert.
import type { ScenarioConfig } from "../../src/scenario/schema/scenario.js";

type Lb = ScenarioConfig["lb"];

/** `context` decides which fields are inert (the scenario exported), so both sides of a comparison drop the same ones. */
export function canonicalLb(lb: Lb, backends: ScenarioConfig["backends"], context: Lb = lb): Record<string, unknown> {
  const out = structuredClone(lb) as unknown as Record<string, any>;
  delete out.proxy; // whose defaults filled the section, not a value the tier runs with
  const equal = backends.filter((b) => !b.backup).every((b, _i, all) => b.weight === all[0]!.weight);
  const algo = (spec: Record<string, any>): Record<string, any> => {
    // Smooth weighted round robin over equal weights picks exactly as round robin does.
    if (spec.algorithm === "weighted-round-robin" && spec.variant === "smooth" && equal) return { algorithm: "round-robin", initialCounter: 0 };
    // Queued requests exist only with maxconn queues or shared load reports.
    if ((spec.algorithm === "least-connections" || spec.algorithm === "power-of-two-choices") && context.maxConnectionsPerBackend === 0 && context.loadFeedback === null) return { ...spec, countQueued: "inert" };
    // The table size is Maglev's; bounded loads do not apply to a modulo hash.
    if (spec.algorithm === "consistent-hash") return { ...spec, tableSize: spec.method === "maglev" ? spec.tableSize : "inert", balanceFactor: spec.method === "modulo" ? "inert" : spec.balanceFactor };
    return spec;
  };
  out.algorithm = out.algorithm.algorithm === "sticky" ? { ...out.algorithm, base: algo(out.algorithm.base) } : algo(out.algorithm);
  const hashed = [out.algorithm.algorithm, out.algorithm.base?.algorithm].includes("consistent-hash");
  if (!hashed) out.hashOn = "inert"; // only hashing algorithms read it
  if (out.health.active !== null && out.health.active.probe === "tcp") out.health.active.expectedStatuses = "inert"; // a TCP check has no status
  if (out.health.active !== null) {
    // An unset fastinter or downinter is inter (HAProxy srv_getinter; lbsim's check schedule does the same).
    out.health.active.fastIntervalUs ??= out.health.active.intervalUs;
    out.health.active.downIntervalUs ??= out.health.active.intervalUs;
    // Jitter's direction matters only when there is jitter; an immediate down on a bad status only for HTTP checks.
    if (out.health.active.jitterPercent === 0) out.health.active.jitterMode = "inert";
    if (out.health.active.probe === "tcp") out.health.active.immediateDownOnStatus = "inert";
  }
  if (context.maxConnectionsPerBackend === 0) out.queue = "inert";
  // L4 picks per connection, reads no answers and retries nothing (lb-node.ts).
  if (context.mode === "l4") {
    out.upstreamTimeout = "inert";
    out.retries = "inert";
  } // no maxconn, no queue
  if (out.retries === "inert") return out;
  if (lb.retries.tries === 1 || lb.retries.on.length === 0) {
    // No retries happen: neither what is retried nor where a retry would go matters.
    out.retries = { ...out.retries, tries: 1, on: "inert", nonIdempotent: "inert", target: "inert", redispatchInterval: "inert", hostSelectionMaxAttempts: "inert" };
    return out;
  }
  // A 503 is a 5xx: http_503 adds nothing beside http_5xx (lb-node.ts retries a shed answer under either).
  out.retries.on = [...lb.retries.on].filter((c) => !(c === "http_503" && lb.retries.on.includes("http_5xx"))).sort();
  // Each target reads only its own option (retry-target.ts): the interval for redispatch, re-picks for previous-hosts.
  if (context.retries.target !== "redispatch") out.retries.redispatchInterval = "inert";
  if (context.retries.target !== "previous-hosts") out.retries.hostSelectionMaxAttempts = "inert";
  return out;
}

/** Removes what an export listed as not expressible (`lb.health.active`, `lb.retries.budget`) from a canonical lb. */
export function withoutInexpressible(lb: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
  const out = structuredClone(lb) as Record<string, any>;
  const HEALTH_PARTS = ["active", "passive", "slowStart", "panic", "drain"];
  for (const path of paths) {
    const [root, first, second] = path.split(".");
    if (root !== "lb" || first === undefined) continue;
    if (first === "health" && second !== undefined) {
      if (HEALTH_PARTS.includes(second)) delete out.health[second];
      else if (out.health.active) delete out.health.active[second];
    } else if (first === "retries" && second !== undefined) {
      if (out.retries !== undefined) delete out.retries[second];
      // A target's own options go with it (retry-target.ts: redispatch's interval, previous-hosts' re-picks).
      if (second === "target" && out.retries !== undefined) {
        delete out.retries.redispatchInterval;
        delete out.retries.hostSelectionMaxAttempts;
      }
    }
    else {
      delete out[first];
      if (first === "algorithm") delete out.hashOn; // what the algorithm hashes goes with it
    }
  }
  return out;
}

/** JSON with sorted keys, so key order never makes two equal sections differ. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}
