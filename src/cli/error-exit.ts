// What the CLI prints and which exit code it sets for an error that reached the top: the README's promise made
// code. 2 for bad input (commander's own messages, ScenarioError, UsageError, a proxy that cannot listen, an
// --out folder lbsim may not replace), 3 for a run that could not
// finish (SimulationError names the seed) and for anything unexpected: a bug is one line on stderr and exit 3,
// never a stack trace and never exit 1, which only ever means "an expect: failed" (LBSIM_DEBUG=1 shows the
// stack for whoever fixes it).
import { CommanderError } from "commander";
import { SimulationError } from "../engine/invariant.js";
import { ProxyStartError } from "../proxy/proxy-start-error.js";
import { OutputDirError } from "../report/replace-directory.js";
import { ScenarioError } from "../scenario/errors/scenario-error.js";
import { EXIT, UsageError } from "./exit-codes.js";

export interface ErrorExit {
  code: number;
  /** What to print on stderr; null when commander already printed it. */
  message: string | null;
}

export function errorExit(error: unknown, debug = false): ErrorExit {
  if (error instanceof CommanderError) return { code: error.exitCode === 0 ? EXIT.ok : EXIT.badInput, message: null };
  if (error instanceof ScenarioError) return { code: EXIT.badInput, message: error.format() };
  if (error instanceof UsageError || error instanceof OutputDirError) return { code: EXIT.badInput, message: `lbsim: ${error.message}` };
  if (error instanceof ProxyStartError) return { code: EXIT.badInput, message: `lbsim proxy: ${error.message}` };
  if (error instanceof SimulationError) return { code: EXIT.simulationFailed, message: `lbsim: the simulation failed: ${firstLine(error.message)}${stack(error, debug)}` };
  const what = error instanceof Error ? `${error.name}: ${firstLine(error.message)}` : firstLine(String(error));
  return { code: EXIT.simulationFailed, message: `lbsim: internal error (a bug in lbsim; please report it with the command line): ${what}${stack(error, debug)}` };
}

function firstLine(text: string): string {
  const line = text.split("\n", 1)[0]!;
  return line.length > 500 ? `${line.slice(0, 500)}...` : line;
}

function stack(error: unknown, debug: boolean): string {
  return debug && error instanceof Error && error.stack !== undefined ? `\n${error.stack}` : "";
}
