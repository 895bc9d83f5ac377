import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { LONG_TESTS } from "./test/long-tests.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The long statistical and multi-process tests run in `npm run test:long` (vitest.long.config.ts), which CI runs.
    exclude: ["**/node_modules/**", ...LONG_TESTS],
    // Statistical tests run millions of simulated requests; give them room without hiding hangs.
    testTimeout: 120_000,
    // Forks, not threads: tests call process.chdir, which worker threads refuse.
    pool: "forks",
    // One worker per core. Vitest's default (cores - 1) leaves one of the 2-core machine's cores to its main
    // process, which is idle once the files are transformed: measured, the suite then ran one file at a time.
    maxWorkers: availableParallelism(),
    // A worker runs file after file in one process instead of a fresh process (and a fresh import of the simulator,
    // zod and vega) per file: that start-up was about a third of the suite's CPU time (166 s -> 118 s, 869 tests).
    // The price: a test file that changes a process-wide thing (cwd, env, console, process.exitCode, a global)
    // must put it back, as test/cli/in-process.ts does; test/setup/process-state.ts fails a file that leaves the
    // working directory or the exit code changed.
    isolate: false,
    setupFiles: ["test/setup/process-state.ts"],
  },
});
