// Proves `lbsim run`, `compare` and `notebook` refuse an --out folder lbsim did not write before anything runs
// (exit 2, one line, nothing printed, the user's files untouched), as `sweep` and `merge` do: the swap that
// writes a report (src/report/replace-directory.ts) would refuse it only after the simulation.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TINY, tmp } from "./helpers.js";
import { lbsimInProcess } from "./in-process.js";

async function usersFolder(): Promise<{ parent: string; out: string }> {
  const parent = tmp();
  const out = join(parent, "mine");
  await mkdir(out);
  await writeFile(join(out, "notes.txt"), "my notes\n");
  return { parent, out };
}

describe("--out on a folder lbsim did not write", () => {
  for (const [command, args] of [
    ["run", (out: string) => ["run", TINY, "--out", out]],
    ["compare", (out: string) => ["compare", TINY, "--seeds", "1", "--out", out]],
    ["notebook", (out: string) => ["notebook", "notebooks/black-hole.md", "--out", out]],
  ] as const) {
    it(`lbsim ${command}: exit 2 with one line before any run; the folder is untouched`, async () => {
      const { parent, out } = await usersFolder();
      const result = await lbsimInProcess(args(out));
      expect(result.status).toBe(2);
      // Nothing ran: no summary, no progress, only the one line.
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(`lbsim: ${out} holds files lbsim did not write (no page with lbsim's generator tag); lbsim replaces its output folder whole, so choose a new or empty folder for --out\n`);
      expect(await readFile(join(out, "notes.txt"), "utf8")).toBe("my notes\n");
      expect(await readdir(parent)).toEqual(["mine"]);
    });
  }
});
