// Proves the configs carry where a retry goes and whose P2C draw it is: HAProxy `option redispatch [interval]`
// imports as `redispatch` and its absence as `same-server`, `balance random(N)` as the haproxy P2C variant; Envoy's
// previous_hosts predicate as `previous-hosts` and no predicate as `any`; each export writes its own targets back
// (import(export) gives the same target and option) and lists, rather than drops, a target its proxy cannot say.
import { describe, expect, it } from "vitest";
import { exportConfig } from "../../src/config-io/export-config.js";
import { importConfig } from "../../src/config-io/import-config.js";
import { parseScenario } from "../../src/scenario/load.js";

type Lb = ReturnType<typeof parseScenario>["base"]["lb"];

function scenario(lb: string): ReturnType<typeof parseScenario>["base"] {
  const text = `name: t\nclients: [{ name: c, load: { open: { poisson: 10/s } }, classes: [{ name: get, demand: { constant: 10ms } }] }]\nbackends: [{ name: app, count: 3 }]\nlb:\n${lb.split("\n").map((l) => `  ${l}`).join("\n")}\n`;
  return parseScenario(text, "t.yaml").base;
}

function imported(text: string, file: string): Lb {
  return parseScenario(importConfig(text, file).text, "imported.yaml").base.lb;
}

const haproxy = (lines: string) => `defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n${lines.includes("retries") ? "" : "    retries 3\n"}frontend fe\n    bind 127.0.0.1:8000\n    default_backend be\nbackend be\n${lines}\n    server a 127.0.0.1:9001\n    server b 127.0.0.1:9002\n`;

describe("HAProxy retry target and P2C variant", () => {
  it("no `option redispatch` is same-server; bare is redispatch -1 (the last retry); an interval is kept; 0 and `no` are same-server", () => {
    const cases: Array<[string, string, number]> = [
      ["    balance roundrobin", "same-server", -1],
      ["    option redispatch", "redispatch", -1],
      ["    option redispatch 2", "redispatch", 2],
      ["    option redispatch 0", "same-server", -1],
      ["    no option redispatch", "same-server", -1],
    ];
    for (const [lines, target, interval] of cases) {
      const lb = imported(haproxy(lines), "haproxy.cfg");
      expect([lines, lb.retries.tries, lb.retries.target, lb.retries.redispatchInterval]).toEqual([lines, 4, target, interval]);
    }
  });

  it("`balance random(2)` is P2C with HAProxy's draw (on its chash tree), and goes back out as random(2) with nothing listed", () => {
    const lb = imported(haproxy("    balance random(2)"), "haproxy.cfg");
    expect(lb.algorithm).toMatchObject({ algorithm: "power-of-two-choices", variant: "haproxy", choiceCount: 2 });
    const out = exportConfig(scenario("proxy: haproxy\nalgorithm: { power-of-two-choices: { variant: haproxy } }"), "haproxy");
    expect(out.text).toContain("balance random(2)");
    expect(out.notExpressible).toEqual([]);
    // Under `proxy: haproxy` a scenario that names no draw gets HAProxy's (proxy-defaults.ts): nothing listed.
    expect(exportConfig(scenario("proxy: haproxy\nalgorithm: power-of-two-choices"), "haproxy").notExpressible).toEqual([]);
    // Envoy's draw (with replacement, EDF) is not HAProxy's: listed, still written as random(2).
    const envoyDraw = exportConfig(scenario("proxy: haproxy\nalgorithm: { power-of-two-choices: { variant: envoy } }"), "haproxy");
    expect(envoyDraw.notExpressible.map((n) => n.what)).toContain("lb.algorithm.power-of-two-choices.variant");
  });

  it("lists lbsim's weighted `random` as not HAProxy's random(1), which draws on the consistent-hash tree", () => {
    const out = exportConfig(scenario("proxy: haproxy\nalgorithm: random"), "haproxy");
    expect(out.text).toContain("balance random(1)");
    expect(out.notExpressible.map((n) => n.what)).toEqual(["lb.algorithm.random"]);
  });

  it("exports each HAProxy target and reads it back; NGINX's next upstream is listed and written as the nearest", () => {
    for (const [retries, line] of [
      ["{ tries: 3, target: same-server }", null],
      ["{ tries: 3, target: redispatch }", "option redispatch  #"],
      ["{ tries: 4, target: redispatch, redispatchInterval: 2 }", "option redispatch 2  #"],
    ] as const) {
      const config = scenario(`proxy: haproxy\nretries: ${retries}`);
      const out = exportConfig(config, "haproxy");
      expect(out.notExpressible).toEqual([]);
      if (line === null) expect(out.text).not.toContain("option redispatch");
      else expect(out.text).toContain(line);
      const back = imported(out.text, "haproxy.cfg");
      expect([back.retries.target, back.retries.redispatchInterval]).toEqual([config.lb.retries.target, config.lb.retries.redispatchInterval]);
    }
    const nginxRule = exportConfig(scenario("proxy: haproxy\nretries: { tries: 3, target: next-upstream }"), "haproxy");
    expect(nginxRule.notExpressible.map((n) => n.what)).toEqual(["lb.retries.target"]);
    expect(nginxRule.text).toContain("option redispatch 1  # lb.retries.target: next-upstream (not expressible");
  });
});

describe("Envoy retry host predicate", () => {
  it("previous_hosts with its re-pick count is previous-hosts; no predicate is any; both go back out as they came", () => {
    for (const [retries, predicate] of [
      ["{ tries: 3, on: [error], target: any }", false],
      ["{ tries: 3, on: [error], target: previous-hosts, hostSelectionMaxAttempts: 4 }", true],
    ] as const) {
      const config = scenario(`proxy: envoy\nretries: ${retries}`);
      const out = exportConfig(config, "envoy");
      expect(out.notExpressible.map((n) => n.what)).not.toContain("lb.retries.target");
      expect(out.text.includes("envoy.retry_host_predicates.previous_hosts")).toBe(predicate);
      const back = imported(out.text, "envoy.yaml");
      expect([back.retries.target, back.retries.hostSelectionMaxAttempts]).toEqual([config.lb.retries.target, config.lb.retries.hostSelectionMaxAttempts]);
    }
  });

  it("HAProxy's same server has no Envoy form: listed, written as previous_hosts (3 re-picks), the nearest", () => {
    const out = exportConfig(scenario("proxy: envoy\nretries: { tries: 3, on: [error], target: same-server }"), "envoy");
    expect(out.notExpressible.map((n) => n.what)).toContain("lb.retries.target");
    expect(out.text).toContain("host_selection_retry_max_attempts: 3");
  });
});

describe("NGINX next upstream", () => {
  it("is NGINX's own rule (nothing listed); any other target is listed, since NGINX always moves to an untried server", () => {
    expect(exportConfig(scenario("proxy: nginx\nretries: { tries: 3 }"), "nginx").notExpressible).toEqual([]);
    const other = exportConfig(scenario("proxy: nginx\nretries: { tries: 3, target: same-server }"), "nginx");
    expect(other.notExpressible.map((n) => n.what)).toEqual(["lb.retries.target"]);
    // With no retries the target never applies: nothing to list.
    expect(exportConfig(scenario("proxy: nginx\nretries: { tries: 1, target: same-server }"), "nginx").notExpressible).toEqual([]);
  });
});
