// Proves `lbsim notebook` keeps its contract (the command in this process, test/cli/in-process.ts): one line per notebook
// and an index page, exit 1 when a claim fails, exit 2 with file:line and no stack trace on a bad notebook.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { lbsimInProcess } from "../cli/in-process.js";
import { notebookText, tinyBlock, writeNotebook } from "./helpers.js";

const lbsim = (...args: string[]) => lbsimInProcess(args);

const claim = (bound: string): string => `${tinyBlock()}\n\n\`\`\`expect\n- { run: t, variant: rr, metric: requests.sent, ${bound} }\n\`\`\``;

describe("lbsim notebook", () => {
  it("writes the page and an index, printing one line per notebook", async () => {
    const file = writeNotebook(notebookText(claim("above: 1"), "Index me"));
    const out = join(dirname(file), "out");
    const { status, stdout, stderr } = await lbsim("notebook", file, "--out", out);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(stdout).toContain(`ok   ${join(out, "lesson.html")} (1 of 1 claims hold)`);
    expect(existsSync(join(out, "lesson.html"))).toBe(true);
    expect(readFileSync(join(out, "index.html"), "utf8")).toContain('<a href="lesson.html"><strong>Index me</strong></a>');
  });

  it("exits 1 when a claim fails", async () => {
    const file = writeNotebook(notebookText(claim("below: 1")));
    const { status, stdout } = await lbsim("notebook", file, "--out", join(dirname(file), "out"));
    expect(status).toBe(1);
    expect(stdout).toMatch(/FAIL .*\(0 of 1 claims hold\)/);
  });

  it("exits 2 with file and line and no stack trace on a bad notebook", async () => {
    const file = writeNotebook(notebookText("```chart\n{ from: nope, chart: latency-cdf }\n```"));
    const { status, stderr } = await lbsim("notebook", file, "--out", join(dirname(file), "out"));
    expect(status).toBe(2);
    expect(stderr).toMatch(/lesson\.md:6:1: unknown run "nope"/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
