// Proves a report is replaced whole or not at all: a rerun killed (SIGKILL) while writing leaves the earlier report
// byte for byte, the next run removes what the killed one left beside it, and a run killed between the two
// renames of the swap has its earlier report put back. Also: a folder lbsim did not write is never replaced.
// The killed writer is a child process running the built writeReport (npm test builds first).
import { fork } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OutputDirError } from "../../src/report/replace-directory.js";
import { writeReport as writeFullReport, type WriteReportOptions } from "../../src/report/write-report.js";
import { buildFixtureReport } from "./fixture.js";

/** Without charts (drawing them takes seconds and has nothing to do with how the folder is swapped). */
const writeReport = (report: Parameters<typeof writeFullReport>[0], dir: string, options: WriteReportOptions = {}) =>
  writeFullReport(report, dir, { charts: [], ...options });

const WRITER = join(import.meta.dirname, "helpers", "interrupted-writer.mjs");

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "lbsim-interrupt-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every file under dir with its bytes, keyed by relative path. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), (await readFile(path)).toString("base64"));
  }
  return new Map([...files].sort());
}

/** Runs the writer child on `report` into `dir` and SIGKILLs it after its third file; resolves with its pid. */
async function killMidWrite(report: unknown, dir: string): Promise<{ pid: number; pausedAt: string }> {
  const reportFile = join(root, `report-${Date.now()}.json`);
  await writeFile(reportFile, JSON.stringify(report));
  const child = fork(WRITER, [reportFile, dir], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  try {
    const pausedAt = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the writer never paused")), 60_000);
      child.on("message", (m: { paused?: string; finished?: boolean }) => {
        clearTimeout(timer);
        if (m.paused !== undefined) resolve(m.paused);
        else reject(new Error("the writer finished without pausing"));
      });
      child.on("exit", (code) => reject(new Error(`the writer exited (${code}) before pausing: ${stderr}`)));
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    return { pid: child.pid!, pausedAt };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}

describe("a rerun killed mid-write", () => {
  it("leaves the earlier report byte for byte; the next run cleans up and replaces it whole", async () => {
    const dir = join(root, "report");
    await writeReport(buildFixtureReport({ name: "first", backends: ["a-1", "a-2"], windows: 40 }), dir);
    const before = await snapshot(dir);
    const second = buildFixtureReport({ name: "second", backends: ["b-1", "b-2", "b-3"], windows: 60 });

    const { pausedAt } = await killMidWrite(second, dir);
    // Killed after data/summary.json, windows.csv and backend-load.csv reached the staging folder.
    expect(pausedAt).toBe(join("data", "backend-load.csv"));
    expect(await snapshot(dir)).toEqual(before);
    const leftovers = (await readdir(root)).filter((name) => name.startsWith(".report.lbsim-"));
    expect(leftovers).toHaveLength(1);
    expect(leftovers[0]).toMatch(/\.new$/);

    await writeReport(second, join(root, "expected-second"));
    await writeReport(second, dir);
    expect(await snapshot(dir)).toEqual(await snapshot(join(root, "expected-second")));
    expect((await readdir(root)).filter((name) => name.startsWith(".report.lbsim-"))).toEqual([]);
  });

  it("between the swap's two renames: the next run puts the earlier report back before anything else", async () => {
    const dir = join(root, "swap");
    await writeReport(buildFixtureReport({ name: "earlier", windows: 30 }), dir);
    const before = await snapshot(dir);
    // What a kill between `rename(dir, old)` and `rename(staging, dir)` leaves: no target, the old one aside, and
    // the staging folder. A pid that has exited (the writer child's) marks them as a dead run's.
    const { pid } = await killMidWrite(buildFixtureReport({ name: "later" }), join(root, "scratch"));
    await rename(dir, join(root, `.swap.lbsim-${pid}-1.old`));
    await mkdir(join(root, `.swap.lbsim-${pid}-1.new`));
    // The next run fails while writing (a full disk, say): the earlier report is back, whole, and nothing is left.
    const diskFull = (): never => {
      throw new Error("ENOSPC: no space left on device");
    };
    await expect(writeReport(buildFixtureReport({ name: "next" }), dir, { afterWrite: diskFull })).rejects.toThrow("ENOSPC");
    expect(await snapshot(dir)).toEqual(before);
    expect((await readdir(root)).filter((name) => name.startsWith(".swap.lbsim-"))).toEqual([]);
  });

  it("never replaces a folder lbsim did not write", async () => {
    const dir = join(root, "mine");
    await mkdir(dir);
    await writeFile(join(dir, "thesis.tex"), "years of work");
    await expect(writeReport(buildFixtureReport({ windows: 10 }), dir)).rejects.toThrow(OutputDirError);
    expect(await readFile(join(dir, "thesis.tex"), "utf8")).toBe("years of work");
  });
});
