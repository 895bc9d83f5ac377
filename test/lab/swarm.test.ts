// Proves the whole balancer tier survives 1,000 seeded random worlds (src/lab/swarm/swarm-world.ts: L4 and L7,
// every algorithm, several nodes, backups, maxconn queues, slow start, retries with budgets, hedging, client
// retries, rate limits, keepalive, draining, rolling deploys, crashes, hangs, GC, NAT port limits) run through the
// product path: no exception, no hang (watchdog and event budget), and a ledger that balances at every level with
// every `unfinished` request really in flight. A failure names its seed: `npm run swarm -- --seed N` reproduces it.
import { beforeAll, describe, expect, it } from "vitest";
import { initHistograms } from "../../src/metrics/histogram.js";
import { runSwarm, type SwarmReport } from "../../src/lab/swarm/run-swarm.js";

beforeAll(async () => {
  await initHistograms();
});

const reports: SwarmReport[] = [];

describe("the tier swarm", () => {
  // Blocks of 125 worlds (about 2 s of CPU each) keep every test far inside the suite's per-test timeout.
  for (let block = 0; block < 8; block++) {
    const first = 1 + block * 125;
    it(`worlds ${first}..${first + 124}: no exception, no hang, every ledger balanced`, () => {
      const report = runSwarm(first, 125);
      reports.push(report);
      expect(report.failures.map((f) => `seed ${f.seed}: ${f.message} (reproduce: npm run swarm -- --seed ${f.seed})`)).toEqual([]);
    });
  }

  it("reached every kind of ending, so the worlds exercise the paths the ledger books", () => {
    const worlds = reports.reduce((n, r) => n + r.worlds, 0);
    expect(worlds).toBe(1_000);
    const reached = new Set(reports.flatMap((r) => Object.keys(r.outcomeWorlds)));
    for (const outcome of ["ok", "no-healthy-upstream", "connection-refused", "reset-mid-flight", "upstream-timeout", "client-timeout", "queue-full", "queue-timeout", "rate-limited", "backend-error", "session-lost", "retries-exhausted", "nat-ports-exhausted", "unfinished"]) {
      expect(reached, outcome).toContain(outcome);
    }
  });
});
