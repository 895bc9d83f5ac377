// Proves a replayed log drives a run exactly: every logged request is one user request, of its logged class, at its
// logged time (scaled by `speed`, repeated by `loop`), with its logged demand, from a pseudonym of its client that
// keeps the /24 grouping; the same in every variant and on every rerun; and that no real address reaches a summary.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { initHistograms } from "../../src/metrics/histogram.js";
import { LbTier } from "../../src/model/lb/lb-tier.js";
import { World } from "../../src/model/world.js";
import { runVariants } from "../../src/lab/scenario-runs.js";
import { buildRun } from "../../src/scenario/build.js";
import { loadScenario } from "../../src/scenario/load.js";
import { ScenarioError } from "../../src/scenario/errors/scenario-error.js";
import { replayTrace } from "../../src/traffic/replay.js";
import { generateRequests, nginxLine } from "./generate-log.js";

const requests = generateRequests({
  seed: "replay-test", ratePerSecond: 50, durationS: 20, startS: 1_796_032_800, reuse: 0.5,
  classes: [
    { method: "GET", path: "/items/{id}", weight: 5, demandUs: { kind: "lognormal", mu: Math.log(10_000), sigma: 0.4 } },
    { method: "GET", path: "/search", weight: 2, demandUs: { kind: "lognormal", mu: Math.log(40_000), sigma: 0.6 } },
    { method: "POST", path: "/cart", weight: 1, demandUs: { kind: "exponential", mean: 20_000 } },
  ],
  networks: [{ prefix: "192.0.2", share: 0.5, hosts: 4 }, { prefix: "198.51.100", share: 0.5, hosts: 100 }],
});
const dir = mkdtempSync(join(tmpdir(), "lbsim-replay-"));
writeFileSync(join(dir, "access.log"), requests.map(nginxLine).join("\n") + "\n");

function scenario(replay: string, duration: string, extra = ""): string {
  const file = join(dir, `s-${Math.abs(hash(replay + duration + extra))}.yaml`);
  writeFileSync(file, `name: replay-test
duration: ${duration}
clients:
  - name: prod
    replay: ${replay}
lb: { algorithm: round-robin }
backends:
  - { name: app, count: 3, workers: 8 }
${extra}`);
  return file;
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}

/** Runs the scenario and counts settled user requests per class name. */
function classCounts(file: string): { sent: number; byClass: Map<string, number> } {
  const built = buildRun(loadScenario(file), null);
  const world = new World(built.world);
  new LbTier(world, built.tier);
  const byClass = new Map<string, number>();
  world.settleListeners.push({ onRequestEnded: (request) => {
    const name = world.clients.classOf(request).name;
    byClass.set(name, (byClass.get(name) ?? 0) + 1);
  } });
  world.run();
  return { sent: [...byClass.values()].reduce((a, b) => a + b, 0), byClass };
}

beforeAll(async () => { await initHistograms(); });

describe("replay", () => {
  const expected = new Map<string, number>([
    ["get-items-id", requests.filter((r) => r.classIndex === 0).length],
    ["get-search", requests.filter((r) => r.classIndex === 1).length],
    ["post-cart", requests.filter((r) => r.classIndex === 2).length],
  ]);

  it("sends every logged request once, of its logged class", () => {
    const { sent, byClass } = classCounts(scenario("{ file: access.log, format: nginx }", "40s"));
    expect(sent).toBe(requests.length);
    expect(byClass).toEqual(expected);
  });

  it("keeps the log's times, scaled by speed", () => {
    const trace = replayTrace({ file: "access.log", format: "nginx", speed: 1, loop: false }, dir);
    const first = Math.min(...requests.map((r) => r.arrivalUs));
    // NGINX logs msec and rt to the millisecond, so msec - rt is each arrival within 1 ms, and an offset from the
    // first arrival (itself within 1 ms) is within 2 ms.
    const sortedTimes = requests.map((r) => r.arrivalUs - first).sort((a, b) => a - b);
    trace.offsetsUs.forEach((t, i) => expect(Math.abs(t - sortedTimes[i]!)).toBeLessThanOrEqual(2000));
    const fast = replayTrace({ file: "access.log", format: "nginx", speed: 4, loop: false }, dir);
    fast.offsetsUs.forEach((t, i) => expect(Math.abs(t - trace.offsetsUs[i]! / 4)).toBeLessThanOrEqual(1));
    // At speed 4 the 20 s log fits in 5 s: a 6 s run still sends it all.
    expect(classCounts(scenario("{ file: access.log, format: nginx, speed: 4 }", "6s")).sent).toBe(requests.length);
  });

  it("loops: a run three log-lengths long sends the log three times, less what falls past the end", () => {
    const trace = replayTrace({ file: "access.log", format: "nginx", speed: 1, loop: true }, dir);
    const period = trace.periodUs!;
    const durationUs = 3 * period - 2_000_000;
    // Two whole passes, then the requests of the third that arrive before the end.
    const third = Array.from(trace.offsetsUs).filter((t) => 2 * period + t < durationUs).length;
    const { sent } = classCounts(scenario("{ file: access.log, format: nginx, loop: true }", `${durationUs}us`));
    expect(sent).toBe(2 * requests.length + third);
  });

  it("gives each client a pseudonym in a /24 of its own network's", () => {
    const trace = replayTrace({ file: "access.log", format: "nginx", speed: 1, loop: false }, dir);
    // Arrival order can differ from the generator's by the log's 1 ms rounding; count /24s, not positions.
    const realNetworks = new Set(requests.map((r) => r.client.split(".").slice(0, 3).join(".")));
    const pseudoNetworks = new Set(trace.addresses.map((a) => a.split(".").slice(0, 3).join(".")));
    expect(pseudoNetworks.size).toBe(realNetworks.size);
    for (const address of trace.addresses) expect(address).toMatch(/^10\.\d+\.\d+\.\d+$/);
    expect(trace.addresses.length).toBe(new Set(requests.map((r) => r.client)).size);
  });

  it("is the same in every variant and every rerun, and writes no real address", () => {
    const file = scenario("{ file: access.log, format: nginx }", "30s", `variants:
  - { name: rr, set: { lb.algorithm: round-robin } }
  - { name: ip-hash, set: { lb.algorithm: ip-hash } }
`);
    const a = runVariants(loadScenario(file), undefined);
    const b = runVariants(loadScenario(file), undefined);
    expect(JSON.stringify(a.map((r) => r.summary))).toBe(JSON.stringify(b.map((r) => r.summary)));
    expect(a.map((r) => r.summary.requests.sent)).toEqual([requests.length, requests.length]);
    const everything = JSON.stringify(a);
    expect(everything).not.toMatch(/192\.0\.2\.|198\.51\.100\./);
  });

  it("names the field the log lacks, as a scenario error", () => {
    writeFileSync(join(dir, "no-upstream.log"), requests.slice(0, 50).map((r) => nginxLine(r).replace(/ urt="[^"]*" uct="[^"]*"/, "")).join("\n"));
    const file = scenario("{ file: no-upstream.log, format: nginx }", "10s");
    expect(() => buildRun(loadScenario(file), null)).toThrow(ScenarioError);
    expect(() => buildRun(loadScenario(file), null)).toThrow(/clients\.0\.replay\.file: .*urt="\$upstream_response_time"/);
    const missing = scenario("{ file: nowhere.log, format: nginx }", "10s");
    expect(() => buildRun(loadScenario(missing), null)).toThrow(/cannot read the replay log \(ENOENT\)/);
  });

  it("refuses load or classes beside replay", () => {
    const file = scenario("{ file: access.log, format: nginx }\n    load: { open: { poisson: 10/s } }", "10s");
    expect(() => loadScenario(file)).toThrow(/clients\.0\.load: expected no load with replay/);
  });
});
