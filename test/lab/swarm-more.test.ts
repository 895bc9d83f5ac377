// Proves the tier survives seeded random worlds 501..1,000 as test/lab/swarm.test.ts proves it for worlds 1..500
// (no exception, no hang, every ledger balanced, every ending reached); together npm test's 1,000 worlds.
import { describe } from "vitest";
import { swarmBlocks } from "./swarm-blocks.js";

describe("the tier swarm, worlds 501..1,000", () => {
  swarmBlocks(501, 4);
});
