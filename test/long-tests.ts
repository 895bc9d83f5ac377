// The test files `npm test` leaves to `npm run test:long` (vitest.long.config.ts), which CI runs after it
// (.ci/run): each is more of a claim `npm test` already proves (a larger size, more seeds, separate processes),
// costs more machine time than that claim needs, and names its faster sibling in `npm test`. npm test must stay
// under 90 s on the quiet 2-core machine (issue 19). Every test file runs in CI in exactly one of the two.
export const LONG_TESTS: readonly string[] = [
  // Queueing theory at the sizes where 2-3% is four standard errors at rho = 0.9 (40M customers); npm test runs
  // test/model/queueing-theory-quick.test.ts at rho = 0.5, where the same tolerance needs 100x fewer customers.
  "test/model/queueing-theory.test.ts",
  // Shards as separate processes (as a batch system starts them); test/lab/sweep-shards.test.ts checks the
  // merge in process in npm test.
  "test/cli/sweep-shards-cli.test.ts",
  // Byte-identical reports and sweeps across two CLI processes and 1 vs 2 worker threads; npm test keeps the
  // in-process determinism tests (test/engine/determinism.test.ts, test/report/write-report.test.ts).
  "test/cli/reproducible-outputs.test.ts",
  // Swarm worlds 1,001..2,000 (about 12 s of CPU): more seeds of the claim test/lab/swarm.test.ts and
  // swarm-more.test.ts prove in npm test on worlds 1..1,000; the seeds are fixed, so the extra worlds are breadth
  // against regressions, not a different check.
  "test/lab/swarm-wide.test.ts",
];
