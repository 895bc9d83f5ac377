// Proves the tier survives seeded random worlds 1,001..2,000 as npm test proves it for worlds 1..1,000 (no
// exception, no hang, every ledger balanced, every ending reached): more breadth, in npm run test:long
// (test/long-tests.ts says why).
import { describe } from "vitest";
import { swarmBlocks } from "./swarm-blocks.js";

describe("the tier swarm, worlds 1,001..2,000", () => {
  swarmBlocks(1001, 8);
});
