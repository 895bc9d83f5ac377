// The command a reader types to reproduce a block's numbers, quoted for a POSIX shell. The notebook shows it under
// every run, so a number in a lesson can always be checked outside the notebook.
import { dirname, relative, resolve } from "node:path";
import { commandLine as quote } from "../report/command-line.js";
import type { LbsimBlock } from "./block-schemas.js";

export function reproduceRun(block: LbsimBlock, seed: string, notebookFile: string): string {
  // An inline scenario has no file of its own: the notebook is the way to run it.
  if (block.run === undefined) return quote(["lbsim", "notebook", notebookFile]);
  const set = (block.set ?? []).flatMap((entry) => ["--set", entry]);
  const variant = block.variant === undefined ? [] : ["--variant", block.variant];
  return quote(["lbsim", "run", scenarioFileOf(block.run, notebookFile), "--seed", seed, ...set, ...variant]);
}

/**
 * A block's `run:` path is relative to the notebook's own folder (as a Markdown link would be), so a notebook
 * runs the same from any working directory; it is named relative to the working directory in messages and in
 * the reproduce command, which a reader types from there.
 */
export function scenarioFileOf(run: string, notebookFile: string): string {
  const absolute = resolve(dirname(notebookFile), run);
  return relative(process.cwd(), absolute) || absolute;
}
