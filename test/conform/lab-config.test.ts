// Proves the lab drives the real proxies with lbsim export's configuration (issue 16) pointed at its loopback
// backends, adding only what it needs to watch them (log lines, admin socket, foreground NGINX), and that every
// suite case's scenario exports and is accepted by the real proxy's own checker where the proxy is installed.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { labConfig } from "../../src/conform/lab-config.js";
import { proxyCommands, proxyVersion } from "../../src/conform/proxies.js";
import { SUITE } from "../../src/conform/suite.js";
import { buildRun, loadScenario } from "../../src/scenario/index.js";

function servers(names: readonly string[]): Map<string, string> {
  return new Map(names.map((n, i) => [n, `127.0.0.1:${41_000 + i}`]));
}

describe("labConfig", () => {
  it("points HAProxy at the loopback backends and adds the log and admin socket", () => {
    const built = buildRun(loadScenario("conformance/black-hole.yaml", { variant: "http" }), "http");
    const lab = labConfig(built.config, "haproxy", { listen: "127.0.0.1:40000", servers: servers(built.world.backends.map((b) => b.name)), adminSocket: "/tmp/x.sock", dir: "/tmp" });
    expect(lab.text).toContain("bind 127.0.0.1:40000");
    expect(lab.text).toMatch(/server app-1 127\.0\.0\.1:41000\b/);
    expect(lab.text).toMatch(/server gc 127\.0\.0\.1:41004\b/);
    expect(lab.text).toContain("option httpchk GET /healthz");
    expect(lab.text).toContain('log-format "lbsim-req %HU %s %ST %ts"');
    expect(lab.text).toContain("stats socket /tmp/x.sock");
    expect(lab.backendSection).toBe("be_lbsim");
  });

  it("lists a backend the timeline adds after the others, disabled until the lab sets it ready (HAProxy only)", () => {
    const built = buildRun(loadScenario("conformance/scale-out.yaml"), null);
    const names = ["app-1", "app-2", "app-3"];
    const lab = labConfig(built.config, "haproxy", { listen: "127.0.0.1:40000", servers: servers(names), adminSocket: "/tmp/x.sock", dir: "/tmp", added: ["app-3"] });
    expect(lab.text).toMatch(/server app-2 127\.0\.0\.1:41001\b(?!.*disabled)/);
    expect(lab.text).toMatch(/server app-3 127\.0\.0\.1:41002\b.* disabled {2}# lab: added by the timeline/);
    expect(lab.text.indexOf("server app-3")).toBeGreaterThan(lab.text.indexOf("server app-2"));
    expect(() => labConfig(built.config, "nginx", { listen: "127.0.0.1:40000", servers: servers(names), adminSocket: "", dir: "/tmp", added: ["app-3"] })).toThrow(/HAProxy only/);
  });

  it("runs NGINX in the foreground with its access log in the run's directory", () => {
    const built = buildRun(loadScenario("conformance/nginx-passive.yaml"), null);
    const lab = labConfig(built.config, "nginx", { listen: "127.0.0.1:40000", servers: servers(built.world.backends.map((b) => b.name)), adminSocket: "", dir: "/tmp/run" });
    expect(lab.text.startsWith("daemon off;")).toBe(true);
    expect(lab.text).toContain("access_log /tmp/run/access.log lbsim;");
    expect(lab.text).toMatch(/server 127\.0\.0\.1:41001 weight=1 max_fails=1 fail_timeout=5s;/);
  });

  it("exports every suite case, and the real proxy accepts it where installed", () => {
    const dir = mkdtempSync(join(tmpdir(), "lab-config-"));
    const checked: string[] = [];
    try {
      for (const c of SUITE) {
        if (c.proxy === "lbsim" || c.config !== null) continue;
        const built = buildRun(loadScenario(c.scenario, c.variant === null ? {} : { variant: c.variant }), c.variant);
        const lab = labConfig(built.config, c.proxy, { listen: "127.0.0.1:40000", servers: servers(built.world.backends.map((b) => b.name)), adminSocket: join(dir, "a.sock"), dir });
        expect(lab.text.length).toBeGreaterThan(200);
        if (proxyVersion(c.proxy) === null) continue;
        const file = join(dir, `${c.name}.cfg`);
        writeFileSync(file, lab.text);
        const check = proxyCommands(c.proxy, file, dir).check;
        execFileSync(check[0]!, check.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
        checked.push(c.name);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    if (checked.length === 0) console.log("lab-config: haproxy and nginx are not installed; their own config checks did not run");
    else expect(checked.length).toBe(SUITE.filter((c) => c.proxy !== "lbsim" && proxyVersion(c.proxy) !== null).length);
  });
});
