#!/usr/bin/env node
// The lbsim command line. User errors print one clear message and no stack trace (exit 2); a failed
// expectation exits 1; a simulation that could not finish exits 3 with its seed, and so does a bug: one line,
// never exit 1 (error-exit.ts).
import { Command } from "commander";
import { registerCatalog } from "./catalog-commands.js";
import { registerCompare } from "./compare-command.js";
import { registerConfigCommands } from "./config-commands.js";
import { registerConform } from "./conform-command.js";
import { registerDemo } from "./demo-command.js";
import { errorExit } from "./error-exit.js";
import { registerFit } from "./fit-command.js";
import { registerMerge } from "./merge-command.js";
import { registerNotebook } from "./notebook-command.js";
import { registerPlayground } from "./playground-command.js";
import { registerProxy } from "./proxy-command.js";
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
registerFit(program);
registerCatalog(program);
registerDemo(program);
registerNotebook(program);
registerPlayground(program);
registerConfigCommands(program);
registerProxy(program);
registerConform(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const { code, message } = errorExit(error, process.env.LBSIM_DEBUG === "1");
  if (message !== null) console.error(message);
  process.exitCode = code;
}
