// Every report file is written whole or not at all: the bytes go to a temporary file beside the target, are
// flushed to disk, and only then renamed over it. rename(2) within one directory is atomic on POSIX file systems,
// so a run that is interrupted (an exception, Ctrl-C, a full disk) leaves either the earlier file or the new one,
// never a half-written mix. The temporary file is removed when anything fails.
import { open, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** What may be written: whole contents, or chunks streamed in (a generator that throws models an interruption). */
export type AtomicData = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/** Suffix of the temporary files; `isAtomicTempFile` recognises leftovers of a killed run by it. */
export const TEMP_SUFFIX = ".tmp";

// A counter, not a random id, keeps concurrent writes in one process apart; the pid keeps processes apart.
let tempCounter = 0;

export function tempPathFor(path: string): string {
  tempCounter += 1;
  return join(dirname(path), `.${basename(path)}.${process.pid}.${tempCounter}${TEMP_SUFFIX}`);
}

/** True for a name this module gives its temporary files (".index.html.1234.7.tmp"). */
export function isAtomicTempFile(name: string): boolean {
  return /^\..+\.\d+\.\d+\.tmp$/.test(name);
}

export async function writeFileAtomic(path: string, data: AtomicData): Promise<void> {
  const temp = tempPathFor(path);
  try {
    const handle = await open(temp, "wx");
    try {
      await writeFile(handle, data);
      // Flush before the rename: otherwise a power cut could leave the new name pointing at an empty file.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
