// The tier swarm's test body, shared by test/lab/swarm.test.ts and swarm-more.test.ts (worlds 1..1,000, npm test)
// and test/lab/swarm-wide.test.ts (worlds 1,001..2,000, npm run test:long): blocks of 125 worlds, each a test that
// names every failing seed with the command that reproduces it, then a check that the worlds reached every ending.
import { beforeAll, expect, it } from "vitest";
import { initHistograms } from "../../src/metrics/histogram.js";
import { runSwarm, type SwarmReport } from "../../src/lab/swarm/run-swarm.js";

/** Every outcome the ledger books; each must be reached by some world, or the worlds do not exercise its path. */
const ENDINGS = ["ok", "no-healthy-upstream", "connection-refused", "reset-mid-flight", "upstream-timeout", "client-timeout", "queue-full", "queue-timeout", "rate-limited", "backend-error", "session-lost", "retries-exhausted", "nat-ports-exhausted", "unfinished"];

/** Declares the tests for worlds first .. first + blocks x 125 - 1 (call inside a describe). */
export function swarmBlocks(first: number, blocks: number): void {
  beforeAll(async () => {
    await initHistograms();
  });
  const reports: SwarmReport[] = [];
  // Blocks of 125 worlds (about 1.5 s of CPU each) keep every test far inside the suite's per-test timeout.
  for (let block = 0; block < blocks; block++) {
    const from = first + block * 125;
    it(`worlds ${from}..${from + 124}: no exception, no hang, every ledger balanced`, () => {
      const report = runSwarm(from, 125);
      reports.push(report);
      expect(report.failures.map((f) => `seed ${f.seed}: ${f.message} (reproduce: npm run swarm -- --seed ${f.seed})`)).toEqual([]);
    });
  }

  it("reached every kind of ending, so the worlds exercise the paths the ledger books", () => {
    const worlds = reports.reduce((n, r) => n + r.worlds, 0);
    expect(worlds).toBe(blocks * 125);
    const reached = new Set(reports.flatMap((r) => Object.keys(r.outcomeWorlds)));
    for (const outcome of ENDINGS) expect(reached, outcome).toContain(outcome);
  });
}
