// Where a sweep's finished cells live on disk. Two forms, one record per cell:
// - a cell directory: one small JSON file per finished cell, written atomically as soon as the cell finishes, so
//   an interrupted sweep keeps its work and a rerun runs only what is missing. `lbsim sweep --out DIR` keeps the
//   cells of a run in progress beside DIR (`.DIR.lbsim-cells`, sweepCellCache), never inside it: DIR is replaced
//   whole when the sweep is done (replace-directory.ts), so a sweep that fails or is killed leaves the earlier
//   sweep's folder as it was. The finished folder holds its cells too (`DIR/cells`), read (never written) by a
//   rerun of the same sweep, and the cache is removed;
// - a shard file (`--out-shard FILE`): the cells of one shard in one JSON document, with the sweep's fingerprint,
//   for `lbsim merge` to check and combine.
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { writeFileAtomic } from "../report/atomic-write.js";
import type { RunSummary } from "../report/report-data.js";
import { cellKey, describeCell, type Shard, type SweepCell } from "./sweep-cells.js";
import { fingerprintDifference, fingerprintHash, type SweepFingerprint } from "./sweep-fingerprint.js";
import { runCells, type SweepDefinition } from "./sweep.js";
import type { SweepPool } from "./sweep-pool.js";

export const SHARD_FORMAT = "lbsim-sweep-shard";
export const SHARD_FORMAT_VERSION = 1;

export interface CellResult {
  cell: SweepCell;
  summary: RunSummary;
}

/** A user error in sweep files: the CLI prints it as one line and exits 2. */
export class SweepFileError extends Error {}

interface CellRecord {
  fingerprint: string;
  cell: SweepCell;
  summary: RunSummary;
}

const cellFileName = (cell: SweepCell): string => `cell-${String(cell.index).padStart(6, "0")}.json`;

/** Where `lbsim sweep --out DIR` keeps the finished cells of a sweep in progress: beside DIR, hidden. */
export function sweepCellCache(outDir: string): string {
  const dir = resolve(outDir);
  return join(dirname(dir), `.${basename(dir)}.lbsim-cells`);
}

/**
 * Finished cells of this sweep found in `dir` (missing dir: none). Cells of another sweep there are an error,
 * or, with `otherSweep: "ignore"`, none (a finished folder that this sweep will replace).
 */
export async function loadFinishedCells(dir: string, fingerprint: SweepFingerprint, cells: readonly SweepCell[], otherSweep: "error" | "ignore" = "error"): Promise<Map<number, RunSummary>> {
  const found = new Map<number, RunSummary>();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return found;
  }
  const byKey = new Map(cells.map((cell) => [cellKey(cell), cell]));
  for (const name of names.filter((n) => /^cell-\d+\.json$/.test(n)).sort()) {
    let record: CellRecord;
    try {
      record = JSON.parse(await readFile(join(dir, name), "utf8")) as CellRecord;
    } catch {
      // A file cut short cannot come from writeFileAtomic; treat it as never finished and run the cell again.
      continue;
    }
    if (record.fingerprint !== fingerprint.hash) {
      if (otherSweep === "ignore") continue;
      throw new SweepFileError(`${dir} holds cells of another sweep (${name}); choose another --out, or delete ${dir} to start over`);
    }
    const cell = byKey.get(cellKey(record.cell));
    if (cell !== undefined) found.set(cell.index, record.summary);
  }
  return found;
}

export async function saveFinishedCell(dir: string, fingerprint: SweepFingerprint, cell: SweepCell, summary: RunSummary): Promise<void> {
  await mkdir(dir, { recursive: true });
  const record: CellRecord = { fingerprint: fingerprint.hash, cell, summary };
  await writeFileAtomic(join(dir, cellFileName(cell)), `${JSON.stringify(record)}\n`);
}

/** Every cell of a finished sweep into `dir` (the folder a finished `--out` keeps, for a rerun to read). */
export async function saveFinishedCells(dir: string, fingerprint: SweepFingerprint, results: readonly CellResult[]): Promise<void> {
  for (const { cell, summary } of results) await saveFinishedCell(dir, fingerprint, cell, summary);
}

export async function removeCellDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export interface ShardFile {
  format: typeof SHARD_FORMAT;
  formatVersion: number;
  fingerprint: SweepFingerprint;
  shard: Shard;
  cells: Array<SweepCell & { summary: RunSummary }>;
}

export function shardDocument(fingerprint: SweepFingerprint, shard: Shard, results: readonly CellResult[]): string {
  const document: ShardFile = {
    format: SHARD_FORMAT,
    formatVersion: SHARD_FORMAT_VERSION,
    fingerprint,
    shard,
    cells: results.map(({ cell, summary }) => ({ ...cell, summary })),
  };
  return `${JSON.stringify(document)}\n`;
}

export async function readShardFile(path: string): Promise<ShardFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new SweepFileError(`${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let document: Partial<ShardFile>;
  try {
    document = JSON.parse(text) as Partial<ShardFile>;
  } catch {
    throw new SweepFileError(`${path}: not a sweep shard (expected the JSON that 'lbsim sweep --out-shard' writes)`);
  }
  if (document?.format !== SHARD_FORMAT || !Array.isArray(document.cells) || document.fingerprint?.hash === undefined || document.shard === undefined) {
    throw new SweepFileError(`${path}: not a sweep shard (expected "format": "${SHARD_FORMAT}", a fingerprint and cells)`);
  }
  if (document.formatVersion !== SHARD_FORMAT_VERSION) {
    throw new SweepFileError(`${path}: shard format version ${String(document.formatVersion)}; this lbsim reads version ${SHARD_FORMAT_VERSION}`);
  }
  if (fingerprintHash(document.fingerprint) !== document.fingerprint.hash) {
    throw new SweepFileError(`${path}: its fingerprint does not match the sweep it describes (the file was edited or damaged); run the shard again`);
  }
  return document as ShardFile;
}

/**
 * The sweep's every cell, in cell order, from shard files: refused (SweepFileError) unless every file has the
 * same fingerprint and every cell of the grid is present exactly once.
 */
export function combineShards(files: ReadonlyArray<{ path: string; shard: ShardFile }>, expected: (fingerprint: SweepFingerprint) => SweepCell[]): { fingerprint: SweepFingerprint; results: CellResult[] } {
  const first = files[0];
  if (first === undefined) throw new SweepFileError("merge needs at least one shard file");
  for (const { path, shard } of files.slice(1)) {
    const difference = fingerprintDifference(first.shard.fingerprint, shard.fingerprint);
    if (difference !== null) throw new SweepFileError(`${path} comes from another sweep than ${first.path}: ${difference}`);
  }
  const fingerprint = first.shard.fingerprint;
  const cells = expected(fingerprint);
  const byKey = new Map(cells.map((cell) => [cellKey(cell), cell]));
  const seenIn = new Map<number, string>();
  const summaries = new Map<number, RunSummary>();
  for (const { path, shard } of files) {
    for (const entry of shard.cells) {
      const cell = byKey.get(cellKey(entry));
      if (cell === undefined) throw new SweepFileError(`${path} holds a cell that is not in the sweep's grid: ${JSON.stringify(cellKey(entry))}`);
      const earlier = seenIn.get(cell.index);
      if (earlier !== undefined) {
        throw new SweepFileError(`cell ${describeCell(cell, fingerprint.axes)} appears twice, in ${earlier} and ${path}`);
      }
      seenIn.set(cell.index, path);
      summaries.set(cell.index, entry.summary);
    }
  }
  const missing = cells.filter((cell) => !summaries.has(cell.index));
  if (missing.length > 0) {
    const present = new Set(files.map(({ shard }) => `${shard.shard.index}/${shard.shard.count}`));
    const counts = new Set(files.map(({ shard }) => shard.shard.count));
    const absent = counts.size === 1
      ? Array.from({ length: [...counts][0]! }, (_, k) => `${k}/${[...counts][0]!}`).filter((s) => !present.has(s))
      : [];
    const shown = missing.slice(0, 5).map((cell) => describeCell(cell, fingerprint.axes)).join("; ");
    const more = missing.length > 5 ? `; and ${missing.length - 5} more` : "";
    const hint = absent.length > 0 ? ` (no file for shard ${absent.join(", ")})` : "";
    throw new SweepFileError(`${missing.length} of ${cells.length} cells are missing${hint}: ${shown}${more}`);
  }
  return { fingerprint, results: cells.map((cell) => ({ cell, summary: summaries.get(cell.index)! })) };
}

/**
 * Runs those of `cells` that `cacheDir` does not already hold, saving each as it finishes, and returns all of
 * them in the order given: a sweep that is interrupted keeps its finished cells, and a rerun does only the rest.
 */
export async function runResumable(options: {
  definition: SweepDefinition;
  fingerprint: SweepFingerprint;
  cells: readonly SweepCell[];
  workers: number;
  /** Each cell's estimated cost, by cell index (the costliest run first); helper threads started early. */
  costs?: readonly number[];
  pool?: SweepPool;
  /** Where finished cells are kept; null keeps none (nothing to resume). */
  cacheDir: string | null;
  /** Cells an earlier, finished run kept (read, never written); cells of another sweep there are ignored. */
  finishedDir?: string;
  /**
   * Cells of another sweep in `cacheDir`: an error (a shard's cache, named after its one output file), or
   * ignored and left there (`--out`'s cache: a sweep into a folder supersedes an unfinished one into it, as
   * the folder itself is replaced; the other sweep's cells stay until a sweep into the folder finishes).
   */
  otherSweepCells?: "error" | "ignore";
  onCellDone?: (done: number, total: number) => void;
}): Promise<{ results: CellResult[]; resumed: number }> {
  const cacheDir = options.cacheDir;
  const finished = options.finishedDir === undefined ? new Map<number, RunSummary>() : await loadFinishedCells(options.finishedDir, options.fingerprint, options.cells, "ignore");
  if (cacheDir !== null) {
    for (const [index, summary] of await loadFinishedCells(cacheDir, options.fingerprint, options.cells, options.otherSweepCells)) finished.set(index, summary);
  }
  const todo = options.cells.filter((cell) => !finished.has(cell.index));
  let done = options.cells.length - todo.length;
  options.onCellDone?.(done, options.cells.length);
  await runCells(options.definition, todo, options.workers, async (cell, summary) => {
    if (cacheDir !== null) await saveFinishedCell(cacheDir, options.fingerprint, cell, summary);
    finished.set(cell.index, summary);
    options.onCellDone?.(++done, options.cells.length);
  }, { costs: options.costs === undefined ? undefined : todo.map((cell) => options.costs![cell.index]!), pool: options.pool });
  return { results: options.cells.map((cell) => ({ cell, summary: finished.get(cell.index)! })), resumed: options.cells.length - todo.length };
}
