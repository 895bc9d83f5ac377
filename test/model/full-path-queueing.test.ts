// Proves the model the scenarios run (clients -> an L7 node -> Backend workers, built from scenario text) agrees
// with queueing theory, as test/model/queueing-theory.test.ts proves for the bare station: M/M/1 mean sojourn,
// M/M/c mean sojourn against Erlang C (one backend with c workers), and JSQ(2) over n = 100 single-worker
// backends against an independent simulation of the same finite system. Each tolerance is at least four
// standard errors, estimated by batch means (successive sojourns are correlated).
import { describe, expect, it } from "vitest";
import { expectAgreement } from "./queueing-assertions.js";
import { Exponential } from "../../src/engine/distributions/basic.js";
import { BatchMeans } from "../../src/metrics/batch-means.js";
import { OUTCOME } from "../../src/metrics/ledger.js";
import { LbTier } from "../../src/model/lb/lb-tier.js";
import { productionBalancer } from "../../src/model/queue-dispatchers.js";
import { runStation } from "../../src/model/queueing-station.js";
import { World } from "../../src/model/world.js";
import { buildRun } from "../../src/scenario/build.js";
import { parseScenario } from "../../src/scenario/load.js";

/**
 * A queueing system written as a scenario: Poisson arrivals, exponential demands, zero network and parsing
 * delays (so a client's latency is exactly the backend's sojourn), no timeouts, retries or active checks, and
 * kernel and application queues too long to refuse anything.
 */
function scenario(name: string, ratePerSecond: number, meanServiceMs: number, backends: number, workers: number, algorithm: string, seconds: number): string {
  return `
name: ${name}
description: a queueing-theory check through the full path
seed: ${name}
duration: ${seconds}s
network: { clientToLb: { constant: 0us }, lbToBackend: { constant: 0us } }
clients:
  - { name: poisson, count: 1, keepalive: true, timeout: 1h, load: { open: { poisson: ${ratePerSecond}/s } }, classes: [{ name: job, demand: { exponential: { mean: ${meanServiceMs}ms } } }] }
lb:
  algorithm: ${algorithm}
  parseOverhead: { constant: 0us }
  upstreamTimeout: 1h
  retries: { tries: 1 }
  health: { preset: nginx }
backends: [{ name: app, count: ${backends}, workers: ${workers}, queueLimit: 1000000, acceptCount: 1000000, somaxconn: 1000000, managementWorkers: 1 }]
`;
}

interface FullPath {
  sojournUs: BatchMeans;
}

/**
 * Runs the scenario and collects the sojourn of every request sent in [warmupUs, endUs): the warm-up lets the
 * queue reach its steady state, and stopping well before the horizon keeps the slowest requests in the sample
 * (cutting at the horizon would drop long sojourns, a bias towards short ones).
 */
function runFullPath(text: string, warmupUs: number, endUs: number, expected: number): FullPath {
  const built = buildRun(parseScenario(text, "queueing.yaml"), null);
  const world = new World(built.world);
  new LbTier(world, built.tier);
  const sojournUs = new BatchMeans(expected, 32);
  world.settleListeners.push({
    onRequestEnded(request, outcome, latencyUs) {
      const sent = world.requests.sentUs[request]!;
      if (sent < warmupUs || sent >= endUs) return;
      expect(outcome).toBe(OUTCOME.ok);
      sojournUs.add(latencyUs);
    },
  });
  world.run();
  return { sojournUs };
}

/** Asserts |estimate - expected| <= tolerance, and that the tolerance is at least 4 standard errors. */

describe("queueing theory through the full path (clients -> L7 node -> backends)", () => {
  it("M/M/1 at rho = 0.5: mean sojourn 1/(mu - lambda) within 5%", () => {
    // mu = 1,000/s (1 ms mean demand), lambda = 500/s: mean sojourn 1/(mu - lambda) = 2 ms. The asymptotic
    // variance of the mean wait is rho(2 + 5rho - 4rho^2 + rho^3)/(mu^2 (1 - rho)^4) = 29 ms^2 per customer
    // (Daley 1968); with the service time's share the sojourn's is of the same order, so 150,000 customers give
    // an SE near sqrt(40/150,000) = 0.016 ms: 4 SE = 0.065 ms, 3.3% of 2 ms, inside the 5% tolerance.
    const run = runFullPath(scenario("mm1", 500, 1, 1, 1, "round-robin", 320), 10e6, 310e6, 150_000);
    expect(run.sojournUs.count).toBeGreaterThan(145_000);
    expectAgreement(run.sojournUs.mean / 1_000, 2, 0.05, run.sojournUs.standardError() / 1_000);
  });

  it("M/M/c: one backend with c = 4 workers at rho = 0.7: mean sojourn Wq + 1/mu with Wq from Erlang C, within 4%", () => {
    // a = lambda/mu = 2.8 Erlangs on c = 4 workers (mu = 1,000/s each). Erlang C:
    //   P(wait) = (a^c/c!)(c/(c - a)) / (sum_{k<c} a^k/k! + (a^c/c!)(c/(c - a))) = 8.537 / (11.379 + 8.537) = 0.4287,
    //   Wq = P(wait)/(c mu - lambda) = 0.4287 / 1,200/s = 0.3572 ms; sojourn = Wq + 1/mu = 1.3572 ms.
    // The backend's workers take from one FIFO application queue, as the Erlang C model's servers do.
    const c = 4;
    const a = 2.8;
    let factorial = 1;
    let below = 0;
    for (let k = 0; k < c; k++) {
      if (k > 0) factorial *= k;
      below += a ** k / factorial;
    }
    const top = (a ** c / (factorial * c)) * (c / (c - a));
    const sojournMs = top / (below + top) / (c - a) + 1;
    expect(sojournMs).toBeCloseTo(1.3572, 3);
    const run = runFullPath(scenario("mmc", 2_800, 1, 1, c, "round-robin", 65), 5e6, 60e6, 154_000);
    expect(run.sojournUs.count).toBeGreaterThan(150_000);
    expectAgreement(run.sojournUs.mean / 1_000, sojournMs, 0.04, run.sojournUs.standardError() / 1_000);
  });

  it("JSQ(2) over n = 100 backends at rho = 0.9: mean sojourn equals an independent simulation of the same finite system", () => {
    // The supermarket model (Mitzenmacher 2001; Vvedenskaya et al. 1996): each arrival joins the shorter of two
    // random single-server FIFO queues. As n -> infinity the share of queues holding at least k customers is
    // rho^(2^k - 1), so the mean sojourn is sum_{k>=1} rho^(2^k - 1) / rho = 2.352 / 0.9 = 2.614 service times.
    // At n = 100 the finite system sits slightly above that limit (its correction is O(1/n) and has no closed
    // form), so the expected value comes from an independent simulation of the same finite system: the queueing
    // station (src/model/queueing-station.ts, which shares no code with Backend or LbNode) with 100 per-server
    // FIFO queues and the same production power-of-two-choices picker, over many more customers.
    let limit = 0;
    for (let k = 1; k < 10; k++) limit += 0.9 ** (2 ** k - 1);
    const meanFieldMs = limit / 0.9;
    expect(meanFieldMs).toBeCloseTo(2.614, 3);
    const station = runStation({
      seed: "jsq2-reference",
      servers: 100,
      discipline: "per-server-queues",
      arrivals: 3_000_000,
      interarrivalUs: new Exponential(1e6 / 90_000),
      serviceUs: new Exponential(1_000),
      dispatcher: productionBalancer({ algorithm: "power-of-two-choices" }),
      batchStatistics: true,
    });
    const reference = station.sojournBatches!;
    station.sojournUs.destroy();
    // 243,000 customers after a 0.2 s warm-up (200 service times, long against the queues' relaxation): measured
    // SE 28 us, and the reference's 11 us at 3M customers, so 4 SE of the difference is about 120 us, 4.6% of the
    // expected 2.65 ms: the tolerance is 5%.
    const run = runFullPath(scenario("jsq2", 90_000, 1, 100, 1, "power-of-two-choices", 3), 0.2e6, 2.9e6, 243_000);
    expect(run.sojournUs.count).toBeGreaterThan(235_000);
    // The two estimates are independent: the SE of their difference is the root of the summed variances.
    const se = Math.hypot(run.sojournUs.standardError(), reference.standardError()) / 1_000;
    const expectedMs = reference.mean / 1_000;
    expectAgreement(run.sojournUs.mean / 1_000, expectedMs, 0.05, se);
    // And the finite system sits just above the mean-field limit: within 5% of it.
    expect(expectedMs).toBeGreaterThan(meanFieldMs);
    expect(expectedMs).toBeLessThan(1.05 * meanFieldMs);
  });
});
