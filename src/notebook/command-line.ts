// The command a reader types to reproduce a block's numbers, quoted for a POSIX shell. The notebook shows it under
// every run, so a number in a lesson can always be checked outside the notebook.
import { commandLine as quote } from "../report/command-line.js";
import type { LbsimBlock } from "./block-schemas.js";

export function reproduceRun(block: LbsimBlock, seed: string, notebookFile: string): string {
  // An inline scenario has no file of its own: the notebook is the way to run it.
  if (block.run === undefined) return quote(["lbsim", "notebook", notebookFile]);
  const set = (block.set ?? []).flatMap((entry) => ["--set", entry]);
  const variant = block.variant === undefined ? [] : ["--variant", block.variant];
  return quote(["lbsim", "run", block.run, "--seed", seed, ...set, ...variant]);
}
