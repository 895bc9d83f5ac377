import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Statistical tests run millions of simulated requests; give them room without hiding hangs.
    testTimeout: 120_000,
    pool: "forks",
  },
});
