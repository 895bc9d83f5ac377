// Proves import(export(scenario)) gives back the same `lb` section (up to fields that have no effect, see
// canonical-lb.ts) for every library scenario and variant whose balancer the proxy can express, and gives back
// every expressible part of the others (what the export listed as not expressible left out).
import { describe, expect, it } from "vitest";
import { exportConfig } from "../../src/config-io/export-config.js";
import { importConfig } from "../../src/config-io/import-config.js";
import { parseScenario } from "../../src/scenario/load.js";
import { canonicalLb, stableJson, withoutInexpressible } from "./canonical-lb.js";
import { libraryConfigs } from "./library-configs.js";

const configs = libraryConfigs();

describe.each(["haproxy", "nginx", "envoy"] as const)("%s round trip", (proxy) => {
  it("gives back the lb section of every library config, but for what the export listed as not expressible", () => {
    let whole = 0;
    const mismatches: string[] = [];
    for (const { label, config } of configs) {
      const exported = exportConfig(config, proxy);
      if (exported.notExpressible.length === 0) whole++;
      const imported = importConfig(exported.text, { haproxy: "haproxy.cfg", nginx: "nginx.conf", envoy: "envoy.yaml" }[proxy]);
      const back = parseScenario(imported.text, "imported.yaml").base;
      const skip = exported.notExpressible.map((n) => n.what);
      const want = stableJson(withoutInexpressible(canonicalLb(config.lb, config.backends), skip));
      const got = stableJson(withoutInexpressible(canonicalLb(back.lb, config.backends, config.lb), skip));
      if (want !== got) mismatches.push(`${label}:\n want ${want}\n got  ${got}`);
    }
    console.log(`${proxy}: ${configs.length} library configs round-trip; ${whole} of them with nothing inexpressible`);
    expect(mismatches).toEqual([]);
  });
});
