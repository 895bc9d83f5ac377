#!/usr/bin/env node
// The lbsim command line. Exit codes: 0 ok, 1 an expectation failed, 2 bad input. User errors print one clear
// message and no stack trace; anything else is a bug and prints in full.
import { Command, CommanderError } from "commander";
import { SimulationError } from "../engine/invariant.js";
import { registerDemo, UsageError } from "./demo-command.js";

export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 2;

const program = new Command()
  .name("lbsim")
  .description("A deterministic discrete-event simulator and algorithm lab for load balancers")
  .showHelpAfterError()
  .exitOverride();

registerDemo(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
  } else if (error instanceof UsageError) {
    console.error(`lbsim: ${error.message}`);
    process.exitCode = EXIT_BAD_INPUT;
  } else if (error instanceof SimulationError) {
    console.error(`lbsim: the simulation failed: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
