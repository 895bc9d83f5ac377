// An output folder (a report, the notebooks' pages) is replaced whole or not at all. Its new contents are written
// into a staging folder beside it, `.NAME.lbsim-PID-N.new`; only when every file is there does the staging folder
// take the target's name: the old folder is renamed aside (`.NAME.lbsim-PID-N.old`), the new one renamed in, the
// old one removed. rename(2) within one parent is atomic on POSIX file systems, so a run killed at any point
// leaves the earlier folder (or, between the two renames, the earlier folder under its `.old` name) and never a
// mix of two runs' files. The next run into the same folder removes what a killed run left behind, and puts an
// `.old` folder back first if the target is missing (the one window a kill can leave).
//
// Swapping whole folders would delete whatever else lived in the target, so an existing folder is replaced only
// when lbsim wrote it: empty, or holding a page with lbsim's generator tag. Anything else is refused.
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

/** The target folder is not one lbsim may replace (a user error: exit 2). */
export class OutputDirError extends Error {
  override readonly name = "OutputDirError";
}

export interface ReplaceOptions {
  /** Start the staging folder as a copy of the target (notebook pages other runs wrote stay). Default false. */
  keepExisting?: boolean;
}

/** The mark every page lbsim writes carries (html-page.ts): `<meta name="generator" content="lbsim ...">`. */
const GENERATOR_TAG = /<meta name="generator" content="lbsim[ "]/;

// A counter keeps one process's staging folders apart; the pid keeps processes apart.
let counter = 0;

/**
 * Writes a folder through `fill` (given the staging folder to write into) and swaps it in for `target`.
 * When `fill` throws, the target is untouched and the staging folder is removed.
 */
export async function replaceDirectory(target: string, fill: (staging: string) => Promise<void>, options: ReplaceOptions = {}): Promise<void> {
  const dir = resolve(target);
  const parent = dirname(dir);
  const name = basename(dir);
  await mkdir(parent, { recursive: true });
  await recoverLeftovers(parent, name);
  await checkReplaceable(dir, target);
  counter += 1;
  const stem = join(parent, `.${name}.lbsim-${process.pid}-${counter}`);
  const staging = `${stem}.new`;
  const old = `${stem}.old`;
  try {
    if (options.keepExisting === true && existsSync(dir)) await cp(dir, staging, { recursive: true });
    else await mkdir(staging);
    await fill(staging);
    if (existsSync(dir)) {
      await rename(dir, old);
      try {
        await rename(staging, dir);
      } catch (error) {
        await rename(old, dir);
        throw error;
      }
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(staging, dir);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** `.NAME.lbsim-PID-N.new|old`: what replaceDirectory leaves beside NAME if it is killed. */
export function leftoverPattern(name: string): RegExp {
  return new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.lbsim-(\\d+)-\\d+\\.(new|old)$`);
}

/** Removes a killed run's staging folders; restores its `.old` folder if the target went missing between renames. */
async function recoverLeftovers(parent: string, name: string): Promise<void> {
  const pattern = leftoverPattern(name);
  const leftovers = (await readdir(parent)).flatMap((entry) => {
    const match = pattern.exec(entry);
    return match === null || isAlive(Number(match[1])) ? [] : [{ entry, kind: match[2] as "new" | "old" }];
  });
  const target = join(parent, name);
  const old = leftovers.find((l) => l.kind === "old");
  if (old !== undefined && !existsSync(target)) await rename(join(parent, old.entry), target);
  for (const l of leftovers) await rm(join(parent, l.entry), { recursive: true, force: true });
}

/** True when process `pid` runs (another lbsim may be writing its staging folder right now). */
function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Refuses (OutputDirError) a `target` that replaceDirectory would refuse: a command that runs for long checks
 * this before its runs, so that an hour of simulation does not end in "choose another --out".
 */
export async function requireReplaceable(target: string): Promise<void> {
  await checkReplaceable(resolve(target), target);
}

async function checkReplaceable(dir: string, shown: string): Promise<void> {
  if (!existsSync(dir)) return;
  if (!(await stat(dir)).isDirectory()) throw new OutputDirError(`${shown} exists and is not a folder; choose another --out`);
  const entries = await readdir(dir);
  if (entries.length === 0) return;
  // index.html first (a report, the notebooks' index), then any other page (notebooks written one at a time).
  const pages = ["index.html", ...entries.filter((e) => e.endsWith(".html") && e !== "index.html")].filter((e) => entries.includes(e));
  for (const page of pages.slice(0, 20)) {
    const head = await readFile(join(dir, page), "utf8").then((text) => text.slice(0, 4096), () => "");
    if (GENERATOR_TAG.test(head)) return;
  }
  throw new OutputDirError(`${shown} holds files lbsim did not write (no page with lbsim's generator tag); lbsim replaces its output folder whole, so choose a new or empty folder for --out`);
}
