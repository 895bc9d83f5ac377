// Proves a ```lbsim block's `run:` path resolves against the notebook's own folder (not the working directory),
// and that the reproduce command under the run names the file as the reader would type it from here.
import { writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { renderNotebook } from "../../src/notebook/index.js";
import { notebookText, TINY_SCENARIO, writeNotebook } from "./helpers.js";

describe("run: paths", () => {
  it("are relative to the notebook's folder", async () => {
    const file = writeNotebook(notebookText("```lbsim\nas: t\nrun: beside.yaml\nvariant: lc\n```\n\nLost {{ t.lc.requests.lost | int }}."));
    const scenario = join(dirname(file), "beside.yaml");
    writeFileSync(scenario, TINY_SCENARIO);
    // The working directory (the repository root under vitest) holds no beside.yaml: only the notebook's does.
    const { html, passed } = await renderNotebook(file);
    expect(passed).toBe(true);
    expect(html).toContain(`lbsim run ${relative(process.cwd(), scenario)} --seed 7 --variant lc`);
  });
});
