// Proves the engine reproduces queueing theory: M/M/1 mean and p99 sojourn, M/M/c mean wait (Erlang C) and
// M/D/1 mean wait (Pollaczek-Khinchine), each within the stated tolerance, with the tolerance at least four
// standard errors (estimated by batch means, since successive waits are correlated).
import { beforeAll, describe, expect, it } from "vitest";
import { expectAgreement, seOf } from "./queueing-assertions.js";
import { Constant, Exponential } from "../../src/engine/distributions/basic.js";
import { US_PER_SECOND } from "../../src/engine/time.js";
import { initHistograms } from "../../src/metrics/histogram.js";
import { runStation } from "../../src/model/queueing-station.js";

beforeAll(async () => {
  await initHistograms();
});



describe("queueing theory", () => {
  it("M/M/1 at rho = 0.9: mean sojourn within 2% and p99 within 3%", () => {
    // lambda = 0.9/s, mu = 1/s. Sojourn time in M/M/1 FIFO is Exp(mu - lambda) = Exp(0.1/s):
    // mean 1/(mu - lambda) = 10 s; p99 = ln(100)/(mu - lambda) = 46.05 s.
    // At rho = 0.9 waits are correlated over hundreds of customers: the asymptotic variance of the mean wait is
    // about rho(2 + 5rho - 4rho^2 + rho^3)/(mu^2 (1 - rho)^4) = 35,900 s^2 per customer (Daley 1968), so the
    // SE at n customers is sqrt(35,900/n) s; 4 SE <= 2% of 10 s needs n >= 14.4M. The p99 needs more (its
    // batch-means SE at 16M customers was 0.43 s against a 1.38 s tolerance), and its SE estimate from
    // 32 batches is itself noisy, so we run 40M in 64 batches (measured 4 SE: see the assertion).
    const lambda = 0.9;
    const mu = 1;
    const theta = mu - lambda;
    const meanTheory = 1 / theta;
    const p99Theory = Math.log(100) / theta;
    const result = runStation({
      seed: "mm1",
      servers: 1,
      discipline: "per-server-queues",
      arrivals: 40_000_000,
      interarrivalUs: new Exponential(US_PER_SECOND / lambda),
      serviceUs: new Exponential(US_PER_SECOND / mu),
      batchStatistics: true,
      batches: 64,
      tailThresholdUs: p99Theory * US_PER_SECOND,
    });
    expect(result.completed).toBe(40_000_000);
    const mean = result.meanSojournUs / US_PER_SECOND;
    expectAgreement(mean, meanTheory, 0.02, seOf(result.sojournBatches) / US_PER_SECOND);
    // The p99's SE by the delta method: SE(P(S > q)) / f(q), with density f(q) = theta e^(-theta q) = 0.01 theta.
    const p99 = result.sojournUs.getValueAtPercentile(99) / US_PER_SECOND;
    const p99Se = seOf(result.tailBatches) / (theta * 0.01);
    expectAgreement(p99, p99Theory, 0.03, p99Se);
    result.sojournUs.destroy();
  });

  it("M/M/c with one shared queue (c = 4, rho = 0.8): mean wait equals Erlang C within 2%", () => {
    // a = lambda/mu = 3.2 Erlangs on c = 4 servers. Erlang C:
    //   P(wait) = (a^c/c!)(c/(c - a)) / (sum_{k<c} a^k/k! + (a^c/c!)(c/(c - a)))
    //           = 21.845 / (14.781 + 21.845) = 0.5964,
    //   Wq = P(wait) / (c mu - lambda) = 0.5964 / 0.8 = 0.7455 s.
    const c = 4;
    const mu = 1;
    const lambda = 0.8 * c * mu;
    const a = lambda / mu;
    let factorial = 1;
    let below = 0;
    for (let k = 0; k < c; k++) {
      if (k > 0) factorial *= k;
      below += a ** k / factorial;
    }
    const top = (a ** c / (factorial * c)) * (c / (c - a));
    const waitTheory = top / (below + top) / (c * mu - lambda);
    expect(waitTheory).toBeCloseTo(0.7455, 3);
    const result = runStation({
      seed: "mmc",
      servers: c,
      discipline: "shared-queue",
      // Measured: 4 SE of the mean wait was 0.029 s at 3M customers; 4x the customers halves it to fit 2%.
      arrivals: 12_000_000,
      interarrivalUs: new Exponential(US_PER_SECOND / lambda),
      serviceUs: new Exponential(US_PER_SECOND / mu),
      batchStatistics: true,
    });
    expectAgreement(result.meanWaitUs / US_PER_SECOND, waitTheory, 0.02, seOf(result.waitBatches) / US_PER_SECOND);
    result.sojournUs.destroy();
  });

  it("M/D/1 at rho = 0.8: mean wait equals Pollaczek-Khinchine within 2%", () => {
    // Deterministic service D = 1 s, lambda = 0.8/s. P-K: Wq = lambda E[S^2] / (2(1 - rho)) = rho D / (2(1 - rho))
    // = 0.8 / 0.4 = 2.0 s (half the M/M/1 wait at the same load, because service has no variance).
    const rho = 0.8;
    const serviceSeconds = 1;
    const waitTheory = (rho * serviceSeconds) / (2 * (1 - rho));
    const result = runStation({
      seed: "md1",
      servers: 1,
      discipline: "per-server-queues",
      // Measured: 4 SE was 0.040 s at 3M customers, right at the tolerance; 6M gives room.
      arrivals: 6_000_000,
      interarrivalUs: new Exponential(US_PER_SECOND / rho),
      serviceUs: new Constant(serviceSeconds * US_PER_SECOND),
      batchStatistics: true,
    });
    expectAgreement(result.meanWaitUs / US_PER_SECOND, waitTheory, 0.02, seOf(result.waitBatches) / US_PER_SECOND);
    result.sojournUs.destroy();
  });
});
