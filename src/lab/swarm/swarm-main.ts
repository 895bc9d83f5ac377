#!/usr/bin/env node
// `npm run swarm -- --worlds N [--from SEED]` runs N swarm worlds (seeds SEED .. SEED+N-1, default from 1) for long
// runs beyond the thousand CI runs (`npm test` and `npm run test:long`); `--seed S` runs one world and prints its
// scenario, to reproduce a failure. Exit 0 when every world passed, 3 when any failed (each printed with its seed).
import { parseArgs } from "node:util";
import { initHistograms } from "../../metrics/histogram.js";
import { runSwarm, runSwarmWorld } from "./run-swarm.js";
import { swarmScenario } from "./swarm-world.js";

const { values } = parseArgs({ options: { worlds: { type: "string", default: "1000" }, from: { type: "string", default: "1" }, seed: { type: "string" } } });
await initHistograms();

if (values.seed !== undefined) {
  const seed = Number(values.seed);
  console.log(swarmScenario(seed));
  const summary = runSwarmWorld(seed); // throws, naming the seed, if the world fails
  console.log(`swarm world ${seed}: ${summary.requests.sent} user requests, ${summary.events} events, ledger balanced`);
} else {
  const worlds = Number(values.worlds);
  const from = Number(values.from);
  if (!Number.isInteger(worlds) || worlds < 1 || !Number.isInteger(from)) {
    console.error("lbsim swarm: expected --worlds N (a whole number >= 1) and --from SEED (a whole number)");
    process.exit(2);
  }
  const report = runSwarm(from, worlds, (seed, failure) => {
    if (failure) console.error(`FAIL swarm world ${seed}: ${failure.message}\n  reproduce: npm run swarm -- --seed ${seed}`);
    else if ((seed - from + 1) % 1000 === 0) console.error(`${seed - from + 1} worlds...`);
  });
  console.log(`${report.worlds} worlds (seeds ${from}..${from + worlds - 1}): ${report.failures.length} failed; ${report.requests} user requests, ${report.events} events`);
  console.log(`worlds reaching each outcome: ${Object.entries(report.outcomeWorlds).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  process.exitCode = report.failures.length > 0 ? 3 : 0;
}
