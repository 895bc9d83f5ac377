// Output paths are checked before any simulation starts: an hour of runs must not end in "cannot write there".
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UsageError } from "./exit-codes.js";

/** A path that may be created (or, for a directory, reused): exit 2 with one line otherwise. */
export function requireNewFileOrDir(path: string, kind: "file" | "directory"): void {
  if (existsSync(path)) {
    const isDir = statSync(path).isDirectory();
    if (kind === "directory" && !isDir) throw new UsageError(`${path} is a file; --out expects a directory`);
    if (kind === "file" && isDir) throw new UsageError(`${path} is a directory; expected a file name`);
    try {
      accessSync(path, constants.W_OK);
    } catch {
      throw new UsageError(`cannot write to ${path} (permission denied)`);
    }
    return;
  }
  let parent = dirname(resolve(path));
  while (!existsSync(parent)) parent = dirname(parent);
  if (!statSync(parent).isDirectory()) throw new UsageError(`cannot create ${path}: ${parent} is a file`);
  try {
    accessSync(parent, constants.W_OK);
  } catch {
    throw new UsageError(`cannot create ${path}: ${parent} is not writable`);
  }
}
