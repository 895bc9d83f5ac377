// Proves the notebooks' output folder is replaced whole or not at all: pages and the index land together, pages of
// other notebooks stay, and a write that fails half way leaves the earlier pages and index as they were.
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeNotebookPages } from "../../src/notebook/index.js";

const page = (text: string): string => `<!doctype html><html><head><meta name="generator" content="lbsim 0.1.0"></head><body>${text}</body></html>`;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "lbsim-notebook-out-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("writeNotebookPages", () => {
  it("keeps other notebooks' pages and replaces the ones it writes", async () => {
    const out = join(root, "notebooks");
    await writeNotebookPages(out, [{ file: "a.html", html: page("a1") }, { file: "b.html", html: page("b1") }, { file: "index.html", html: page("index a b") }]);
    await writeNotebookPages(out, [{ file: "a.html", html: page("a2") }, { file: "index.html", html: page("index a") }]);
    expect((await readdir(out)).sort()).toEqual(["a.html", "b.html", "index.html"]);
    expect(await readFile(join(out, "a.html"), "utf8")).toBe(page("a2"));
    expect(await readFile(join(out, "b.html"), "utf8")).toBe(page("b1"));
    expect(await readFile(join(out, "index.html"), "utf8")).toBe(page("index a"));
  });

  it("leaves the earlier pages and index when a write fails half way, and nothing beside them", async () => {
    const out = join(root, "half");
    await writeNotebookPages(out, [{ file: "a.html", html: page("a1") }, { file: "index.html", html: page("index 1") }]);
    // The second page cannot be written (its folder does not exist): the first must not have landed either.
    const failing = writeNotebookPages(out, [{ file: "a.html", html: page("a2") }, { file: join("missing", "b.html"), html: page("b2") }, { file: "index.html", html: page("index 2") }]);
    await expect(failing).rejects.toThrow(/ENOENT/);
    expect(await readFile(join(out, "a.html"), "utf8")).toBe(page("a1"));
    expect(await readFile(join(out, "index.html"), "utf8")).toBe(page("index 1"));
    expect((await readdir(root)).filter((name) => name.startsWith(".half."))).toEqual([]);
  });

  it("refuses a folder of someone else's files", async () => {
    const out = join(root, "elsewhere");
    await mkdir(out);
    await writeFile(join(out, "notes.md"), "mine");
    await expect(writeNotebookPages(out, [{ file: "a.html", html: page("a") }])).rejects.toThrow(/lbsim did not write/);
  });
});
