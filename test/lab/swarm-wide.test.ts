// Proves the tier survives seeded random worlds 251..1,000 as test/lab/swarm.test.ts proves it for worlds 1..250
// (no exception, no hang, every ledger balanced, every ending reached): the breadth of the 1,000-world swarm, in
// npm run test:long (test/long-tests.ts says why).
import { describe } from "vitest";
import { swarmBlocks } from "./swarm-blocks.js";

describe("the tier swarm, worlds 251..1,000", () => {
  swarmBlocks(251, 6);
});
