// Proves the HAProxy and NGINX exports write each scenario field as the proxy's directive for it, and list what the
// proxy cannot say instead of dropping it.
import { describe, expect, it } from "vitest";
import { exportConfig } from "../../src/config-io/export-config.js";
import { parseScenario } from "../../src/scenario/load.js";

function scenario(lb: string): ReturnType<typeof parseScenario>["base"] {
  const text = `name: t\nclients: [{ name: c, load: { open: { poisson: 10/s } }, classes: [{ name: get, demand: { constant: 10ms } }] }]\nbackends: [{ name: app, count: 3 }, { name: spare, backup: true }]\nlb:\n${lb.split("\n").map((l) => `  ${l}`).join("\n")}\n`;
  return parseScenario(text, "t.yaml").base;
}

describe("HAProxy export", () => {
  it("writes retries, retry-on, timeouts and check cadence", () => {
    const config = scenario(`retries: { tries: 4, on: [error, http_503], target: same-server }\nupstreamTimeout: 2s\nconnectTimeout: 750ms\nhealth: { preset: haproxy, probe: http, interval: 1s, rise: 3, fall: 2, timeout: 500ms }\nmaxConnectionsPerBackend: 10`);
    const { text, notExpressible } = exportConfig(config, "haproxy", { backendAddress: (_b, i) => `127.0.0.1:${9000 + i}`, listen: "127.0.0.1:7000" });
    expect(text).toContain("retries 3 ");
    expect(text).toContain("retry-on conn-failure empty-response 503 ");
    expect(text).toContain("timeout server 2s ");
    expect(text).toContain("timeout connect 750ms ");
    expect(text).toContain("timeout check 500ms ");
    expect(text).toContain("option httpchk GET /healthz ");
    expect(text).toContain("default-server check inter 1s fastinter 1s rise 3 fall 2 maxconn 10");
    expect(text).toContain("bind 127.0.0.1:7000");
    expect(text).toContain("server app-1 127.0.0.1:9000 weight 1");
    expect(text).toContain("server spare 127.0.0.1:9003 weight 1 backup");
    expect(text).not.toContain("option redispatch"); // same-server: HAProxy without `option redispatch`
    expect(notExpressible).toEqual([]);
  });

  it("lists what HAProxy cannot say", () => {
    const config = scenario(`nodes: 2\nalgorithm: peak-ewma\nretries: { budget: {} }\nhealth: { preset: envoy }`);
    const what = exportConfig(config, "haproxy").notExpressible.map((n) => n.what);
    // peak EWMA, two nodes, the retry budget, Envoy's outlier detection, panic threshold, startup rule and immediate down.
    expect(what).toEqual(expect.arrayContaining(["lb.nodes", "lb.algorithm", "lb.retries.budget", "lb.health.passive", "lb.health.panic", "lb.health.initialHealth", "lb.health.immediateDownOnStatus"]));
    expect(exportConfig(config, "haproxy").text).toContain("#   - lb.algorithm: HAProxy has no peak-ewma balancing");
  });
});

describe("NGINX export", () => {
  it("writes the upstream algorithm, passive health, retries and keepalive", () => {
    const config = scenario(`algorithm: { power-of-two-choices: { variant: nginx } }\nhealth: { preset: nginx, passive: { nginx: { maxFails: 3, failTimeout: 30s } } }\nretries: { tries: 3, on: [error, timeout, http_5xx], nonIdempotent: true }\nkeepalive: { maxIdlePerBackend: 16, idleTimeout: 20s }\nrateLimit: { rate: 100/s, burst: 20 }`);
    const { text, notExpressible } = exportConfig(config, "nginx");
    expect(text).toContain("random two least_conn;");
    expect(text).toContain("server 10.0.0.1:8080 weight=1 max_fails=3 fail_timeout=30s;");
    expect(text).toContain("server 10.0.1.1:8080 weight=1 max_fails=3 fail_timeout=30s backup;");
    expect(text).toContain("proxy_next_upstream error timeout http_500 http_502 http_503 http_504 non_idempotent;");
    expect(text).toContain("proxy_next_upstream_tries 3;");
    expect(text).toContain("keepalive 16;");
    expect(text).toContain("keepalive_timeout 20s;");
    // lbsim's bucket of 20 tokens is NGINX's burst=19 with nodelay (it admits burst + 1 at once).
    expect(text).toContain("limit_req zone=lbsim burst=19 nodelay;");
    expect(notExpressible).toEqual([]);
  });

  it("lists active checks and slow start, which open-source NGINX lacks", () => {
    const config = scenario(`health: { preset: haproxy, slowStart: { linear: { window: 30s } } }`);
    expect(exportConfig(config, "nginx").notExpressible.map((n) => n.what)).toEqual(["lb.health.active", "lb.health.slowStart"]);
  });
});
