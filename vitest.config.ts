import { defineConfig } from "vitest/config";
import { LONG_TESTS } from "./test/long-tests.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The long statistical and multi-process tests run in `npm run test:long` (vitest.long.config.ts), which CI runs.
    exclude: ["**/node_modules/**", ...LONG_TESTS],
    // Statistical tests run millions of simulated requests; give them room without hiding hangs.
    testTimeout: 120_000,
    pool: "forks",
  },
});
