// Proves determinism end to end: the same seed gives a byte-identical summary twice, and another seed differs.
import { beforeAll, describe, expect, it } from "vitest";
import { Exponential } from "../../src/engine/distributions/basic.js";
import { initHistograms, summarize } from "../../src/metrics/histogram.js";
import { twoRandomChoices } from "../../src/model/queue-dispatchers.js";
import { runStation } from "../../src/model/queueing-station.js";

beforeAll(async () => {
  await initHistograms();
});

function summaryJson(seed: number): string {
  const result = runStation({
    seed,
    servers: 8,
    discipline: "per-server-queues",
    arrivals: 200_000,
    interarrivalUs: new Exponential(1e6 / 7.2),
    serviceUs: new Exponential(1e6),
    dispatcher: twoRandomChoices,
  });
  const json = JSON.stringify({
    run: result.run,
    completed: result.completed,
    meanSojournUs: result.meanSojournUs,
    meanWaitUs: result.meanWaitUs,
    latency: summarize(result.sojournUs),
  });
  result.sojournUs.destroy();
  return json;
}

describe("determinism", () => {
  it("the same seed gives byte-identical results", () => {
    expect(summaryJson(5)).toBe(summaryJson(5));
  });

  it("different seeds give different results", () => {
    expect(summaryJson(5)).not.toBe(summaryJson(6));
  });
});
