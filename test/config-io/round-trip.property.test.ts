// Proves import(export(lb)) gives back the lb section for generated balancer configs, through HAProxy, NGINX and
// Envoy: every field the export did not list as inexpressible comes back equal (canonical-lb.ts says which fields
// are inert where they have no effect). Seeded, so a failure reproduces.
import fc from "fast-check";
import { describe, it } from "vitest";
import { exportConfig } from "../../src/config-io/export-config.js";
import { importConfig } from "../../src/config-io/import-config.js";
import { flow } from "../../src/config-io/scenario-text.js";
import { ScenarioError } from "../../src/scenario/errors/scenario-error.js";
import { parseScenario } from "../../src/scenario/load.js";
import { canonicalLb, stableJson, withoutInexpressible } from "./canonical-lb.js";

const ms = (n: number) => `${n}ms`;
const algorithm = fc.oneof(
  fc.constantFrom("round-robin", "weighted-round-robin", "least-connections", "random", "ip-hash", "first", "peak-ewma", "least-response-time"),
  fc.record({ "weighted-round-robin": fc.record({ variant: fc.constantFrom("smooth", "static") }) }),
  fc.record({ "least-connections": fc.record({ countQueued: fc.boolean() }) }),
  fc.record({ "power-of-two-choices": fc.record({ choiceCount: fc.integer({ min: 2, max: 4 }), variant: fc.constantFrom("envoy", "haproxy", "nginx", "distinct") }, { requiredKeys: ["choiceCount"] }) }),
  fc.record({ "consistent-hash": fc.record({ method: fc.constantFrom("ketama", "maglev", "modulo"), balanceFactor: fc.constantFrom(0, 1.25, 1.5) }) }),
  fc.record({ sticky: fc.record({ base: fc.constantFrom("round-robin", "least-connections"), ttl: fc.constantFrom("10m", "30m") }) }),
);
const health = fc.record({
  preset: fc.constantFrom("haproxy", "envoy", "nginx", "nginx-plus", "aws-alb"),
  active: fc.constantFrom(true, false, undefined),
  probe: fc.constantFrom("tcp", "http", "deep"),
  interval: fc.integer({ min: 1, max: 60 }).map((n) => ms(n * 500)),
  rise: fc.integer({ min: 1, max: 5 }),
  fall: fc.integer({ min: 1, max: 5 }),
  passive: fc.constantFrom("none", "nginx", "envoy-outlier", "haproxy-observe", undefined),
  slowStart: fc.constantFrom(undefined, { linear: { window: "30s" } }, { envoy: { window: "20s" } }),
}, { requiredKeys: ["preset"] });
const lb = fc.record({
  proxy: fc.constantFrom(undefined, "haproxy", "nginx", "envoy", "aws-alb"),
  mode: fc.constantFrom("l7", "l7", "l4"),
  algorithm,
  hashOn: fc.constantFrom("client-address", "path", "session"),
  health,
  connectTimeout: fc.integer({ min: 1, max: 20 }).map((n) => ms(n * 250)),
  upstreamTimeout: fc.integer({ min: 1, max: 120 }).map((n) => ms(n * 500)),
  retries: fc.record({
    tries: fc.integer({ min: 1, max: 5 }), on: fc.subarray(["error", "timeout", "http_5xx", "http_503"]), nonIdempotent: fc.boolean(),
    target: fc.constantFrom("next-upstream", "same-server", "redispatch", "any", "previous-hosts"),
    redispatchInterval: fc.constantFrom(-1, 1, 2), hostSelectionMaxAttempts: fc.constantFrom(1, 3),
  }, { requiredKeys: [] }),
  maxConnectionsPerBackend: fc.constantFrom(0, 0, 10, 50),
  keepalive: fc.constantFrom(undefined, null, { maxIdlePerBackend: 16, idleTimeout: "30s" }),
  rateLimit: fc.constantFrom(null, { rate: "100/s", burst: 20 }),
}, { requiredKeys: ["algorithm", "health"] });
const weights = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 5 });

function scenarioText(lbValue: Record<string, unknown>, ws: number[]): string {
  const health = Object.fromEntries(Object.entries(lbValue.health as Record<string, unknown>).filter(([, v]) => v !== undefined));
  // Presets without active checks take no active-check fields.
  if (health.active === false || health.preset === "nginx") for (const k of ["probe", "interval", "rise", "fall"]) delete health[k];
  if (health.preset === "nginx" && health.active === true) delete health.active;
  const lbText = Object.entries({ ...lbValue, health }).filter(([, v]) => v !== undefined).map(([k, v]) => `  ${k}: ${flow(v)}`).join("\n");
  const backends = ws.map((w, i) => `  - { name: b${i + 1}, weight: ${w}${i === ws.length - 1 && ws.length > 2 ? ", backup: true" : ""} }`).join("\n");
  return `name: gen\nclients: [{ name: c, load: { open: { poisson: 10/s } }, classes: [{ name: r, demand: { constant: 5ms } }] }]\nlb:\n${lbText}\nbackends:\n${backends}\n`;
}

describe("round trip over generated balancer configs", () => {
  for (const proxy of ["haproxy", "nginx", "envoy"] as const) {
    it(`${proxy}: import(export(lb)) gives back every expressible field`, () => {
      fc.assert(
        fc.property(lb, weights, (lbValue, ws) => {
          // A generated combination a preset refuses (ALB's 5 s check timeout over a 500 ms interval) is not a config.
          let config;
          try {
            config = parseScenario(scenarioText(lbValue, ws), "gen.yaml").base;
          } catch (error) {
            if (!(error instanceof ScenarioError)) throw error;
            fc.pre(false);
            return;
          }
          const exported = exportConfig(config, proxy);
          const back = parseScenario(importConfig(exported.text, { haproxy: "haproxy.cfg", nginx: "nginx.conf", envoy: "envoy.yaml" }[proxy]).text, "back.yaml").base;
          const skip = exported.notExpressible.map((n) => n.what);
          const want = stableJson(withoutInexpressible(canonicalLb(config.lb, config.backends), skip));
          const got = stableJson(withoutInexpressible(canonicalLb(back.lb, config.backends, config.lb), skip));
          if (want !== got) throw new Error(`not the same lb section\n want ${want}\n got  ${got}\n export:\n${exported.text}`);
        }),
        { seed: 16, numRuns: 100 },
      );
    });
  }
});
