// Proves every exported HAProxy and NGINX configuration of the scenario library is accepted by the real proxy's own
// checker (`haproxy -c`, `nginx -t`); skipped with one line when the binary is not installed (scripts/install-proxies.sh).
import { describe, expect, it } from "vitest";
import { exportConfig } from "../../src/config-io/export-config.js";
import { checkWithRealProxy, findBinary } from "../../src/config-io/real-tools.js";
import { libraryConfigs } from "./library-configs.js";

const configs = libraryConfigs();

for (const proxy of ["haproxy", "nginx"] as const) {
  const present = findBinary(proxy) !== null;
  if (!present) console.log(`SKIPPED: ${proxy} is not installed, so exported ${proxy} configs are not checked (run scripts/install-proxies.sh)`);
  describe.runIf(present)(`${proxy} accepts every exported library config`, () => {
    it(`checks ${configs.length} configs (identical texts once)`, () => {
      const texts = new Map<string, string>();
      for (const { label, config } of configs) {
        const { text } = exportConfig(config, proxy, { backendAddress: (_b, i) => `127.0.0.1:${9100 + i}` });
        if (!texts.has(text)) texts.set(text, label);
      }
      const rejected: string[] = [];
      for (const [text, label] of texts) {
        const result = checkWithRealProxy(proxy, text);
        if ("absent" in result || !result.ok) rejected.push(`${label}: ${"output" in result ? result.output : "absent"}`);
      }
      expect(rejected).toEqual([]);
    }, 120_000);
  });
}
