// Proves `lbsim notebook` keeps its contract (runs the built CLI, as npm test builds first): one line per notebook
// and an index page, exit 1 when a claim fails, exit 2 with file:line and no stack trace on a bad notebook.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { notebookText, tinyBlock, writeNotebook } from "./helpers.js";

const ROOT = resolve(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "cli", "main.js");

function lbsim(...args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const claim = (bound: string): string => `${tinyBlock()}\n\n\`\`\`expect\n- { run: t, variant: rr, metric: requests.sent, ${bound} }\n\`\`\``;

describe("lbsim notebook", () => {
  it("writes the page and an index, printing one line per notebook", () => {
    const file = writeNotebook(notebookText(claim("above: 1"), "Index me"));
    const out = join(dirname(file), "out");
    const { status, stdout, stderr } = lbsim("notebook", file, "--out", out);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(stdout).toContain(`ok   ${join(out, "lesson.html")} (1 of 1 claims hold)`);
    expect(existsSync(join(out, "lesson.html"))).toBe(true);
    expect(readFileSync(join(out, "index.html"), "utf8")).toContain('<a href="lesson.html"><strong>Index me</strong></a>');
  });

  it("exits 1 when a claim fails", () => {
    const file = writeNotebook(notebookText(claim("below: 1")));
    const { status, stdout } = lbsim("notebook", file, "--out", join(dirname(file), "out"));
    expect(status).toBe(1);
    expect(stdout).toMatch(/FAIL .*\(0 of 1 claims hold\)/);
  });

  it("exits 2 with file and line and no stack trace on a bad notebook", () => {
    const file = writeNotebook(notebookText("```chart\n{ from: nope, chart: latency-cdf }\n```"));
    const { status, stderr } = lbsim("notebook", file, "--out", join(dirname(file), "out"));
    expect(status).toBe(2);
    expect(stderr).toMatch(/lesson\.md:6:1: unknown run "nope"/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
