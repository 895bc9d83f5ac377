#!/usr/bin/env node
// The lbsim command line. User errors print one clear message and no stack trace (exit 2); a failed
// expectation exits 1; a simulation that could not finish exits 3 with its seed. Anything else is a bug and
// prints in full.
import { Command, CommanderError } from "commander";
import { SimulationError } from "../engine/invariant.js";
import { ScenarioError } from "../scenario/errors/scenario-error.js";
import { registerCatalog } from "./catalog-commands.js";
import { registerCompare } from "./compare-command.js";
import { registerConfigCommands } from "./config-commands.js";
import { registerDemo } from "./demo-command.js";
import { EXIT, UsageError } from "./exit-codes.js";
import { registerMerge } from "./merge-command.js";
import { registerNotebook } from "./notebook-command.js";
import { registerRun } from "./run-command.js";
import { registerSweep } from "./sweep-command.js";

const program = new Command()
  .name("lbsim")
  .description("A deterministic discrete-event simulator and algorithm lab for load balancers")
  .version("0.1.0")
  .showHelpAfterError()
  .exitOverride();

registerRun(program);
registerCompare(program);
registerSweep(program);
registerMerge(program);
registerCatalog(program);
registerDemo(program);
registerNotebook(program);
registerConfigCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  } else if (error instanceof ScenarioError) {
    console.error(error.format());
    process.exitCode = EXIT.badInput;
  } else if (error instanceof UsageError) {
    console.error(`lbsim: ${error.message}`);
    process.exitCode = EXIT.badInput;
  } else if (error instanceof SimulationError) {
    console.error(`lbsim: the simulation failed: ${error.message}`);
    process.exitCode = EXIT.simulationFailed;
  } else {
    throw error;
  }
}
