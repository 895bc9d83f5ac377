// `npm run test:long`: the test files listed in test/long-tests.ts, which `npm test` leaves out. CI runs both.
import { defineConfig } from "vitest/config";
import { LONG_TESTS } from "./test/long-tests.js";

export default defineConfig({
  test: {
    include: [...LONG_TESTS],
    // 40M simulated customers take minutes on a busy 2-core machine.
    testTimeout: 600_000,
    pool: "forks",
  },
});
