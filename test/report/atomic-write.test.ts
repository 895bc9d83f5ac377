// Proves writeFileAtomic replaces a file whole or not at all: an interrupted write or a failed rename leaves the
// earlier contents intact and no temporary file behind.
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isAtomicTempFile, tempPathFor, writeFileAtomic } from "../../src/report/atomic-write.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "lbsim-atomic-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("writeFileAtomic", () => {
  it("creates a file and replaces an existing one", async () => {
    const path = join(dir, "a.txt");
    await writeFileAtomic(path, "first");
    await writeFileAtomic(path, new TextEncoder().encode("second"));
    expect(await readFile(path, "utf8")).toBe("second");
    expect(await readdir(dir)).toEqual(["a.txt"]);
  });

  it("leaves the earlier file intact and no temporary file when the data fails half way", async () => {
    const path = join(dir, "index.html");
    await writeFile(path, "earlier report");
    async function* interrupted(): AsyncGenerator<string> {
      yield "<html>half of a new rep";
      throw new Error("interrupted");
    }
    await expect(writeFileAtomic(path, interrupted())).rejects.toThrow("interrupted");
    expect(await readFile(path, "utf8")).toBe("earlier report");
    expect(await readdir(dir)).toEqual(["index.html"]);
  });

  it("removes its temporary file when the rename fails", async () => {
    const path = join(dir, "taken");
    await mkdir(join(path, "inside"), { recursive: true }); // a non-empty directory cannot be renamed over
    await expect(writeFileAtomic(path, "data")).rejects.toThrow();
    expect(await readdir(dir)).toEqual(["taken"]);
  });

  it("fails cleanly when the directory does not exist", async () => {
    await expect(writeFileAtomic(join(dir, "missing", "a.txt"), "data")).rejects.toThrow(/ENOENT/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("names temporary files beside the target in a form it recognises, and distinct per write", () => {
    const a = tempPathFor(join(dir, "index.html"));
    const b = tempPathFor(join(dir, "index.html"));
    expect(a).not.toBe(b);
    expect(a.startsWith(join(dir, ".index.html."))).toBe(true);
    expect(isAtomicTempFile(a.slice(dir.length + 1))).toBe(true);
    expect(isAtomicTempFile("index.html")).toBe(false);
    expect(isAtomicTempFile("notes.tmp")).toBe(false);
  });
});
