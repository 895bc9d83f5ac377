// The test files `npm test` leaves to `npm run test:long` (vitest.long.config.ts), which CI runs after it
// (.ci/run): each is minutes of machine time on the 2-core machine, and each has a faster sibling in `npm test`
// or tests something `npm test` covers more cheaply. Every test file runs in CI in exactly one of the two.
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
];
