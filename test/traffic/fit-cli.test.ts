// Proves `lbsim fit` as a user runs it: a sample log of each format gives a clients section on stdout and a
// summary with its throughput on stderr; a log of the wrong format, or no log at all, is exit 2 with no stack trace.
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { lbsimInProcess } from "../cli/in-process.js";

// In this process (test/cli/in-process.ts): the command's output and exit code are the claim, not the process.
const lbsim = (...args: string[]) => lbsimInProcess(args);

describe("lbsim fit", async () => {
  it("writes a clients section for the sample NGINX log and says what it read", async () => {
    const r = await lbsim("fit", "test/traffic/fixtures/sample-nginx.log", "--format", "nginx");
    expect(r.status).toBe(0);
    // 222 lines, all good (the sample-logs test holds the file to the generator's output).
    expect(r.stderr).toMatch(/lbsim fit: 222 requests fitted, 0 lines skipped/);
    expect(r.stderr).toMatch(/lines\/s/);
    const loaded = parseScenario(`name: t\nduration: 10s\n${r.stdout}lb: { algorithm: ip-hash }\nbackends: [{ name: app, count: 2 }]\n`, "t.yaml");
    // The sample's two /24s send 70% and 30% of requests: both are heavy (5% or more), so each is a group.
    expect(loaded.base.clients.map((g) => g.name)).toEqual(["network-1", "network-2"]);
  });

  it("refuses a log of another format in one message with the bad lines' numbers, exit 2", async () => {
    const r = await lbsim("fit", "test/traffic/fixtures/sample-haproxy.log", "--format", "nginx");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/only 0 of 222 lines parse as nginx \(at least 90% must\)/);
    expect(r.stderr).toMatch(/line 1: expected NGINX's combined format/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const missing = await lbsim("fit", "no-such.log", "--format", "csv");
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe("lbsim: no-such.log: no such file");
  });
});
