// Proves the whole balancer tier survives 250 seeded random worlds (src/lab/swarm/swarm-world.ts: L4 and L7,
// every algorithm, several nodes, backups, maxconn queues, slow start, retries with budgets, hedging, client
// retries, rate limits, keepalive, draining, rolling deploys, crashes, hangs, GC, NAT port limits) run through the
// product path: no exception, no hang (watchdog and event budget), and a ledger that balances at every level with
// every `unfinished` request really in flight. A failure names its seed: `npm run swarm -- --seed N` reproduces it.
// Worlds 251..1,000 are test/lab/swarm-wide.test.ts in npm run test:long (CI runs both): measured, the first 250
// already reach every ending (the rarest, queue-timeout, in 53 of 1,000 worlds, so about 13 of these 250).
import { describe } from "vitest";
import { swarmBlocks } from "./swarm-blocks.js";

describe("the tier swarm, worlds 1..250", () => {
  swarmBlocks(1, 2);
});
