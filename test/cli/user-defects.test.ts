// Proves the CLI defects a new user found are fixed: --out that cannot be written fails in one line before any
// run; sweep rejects an unknown --metric with did-you-mean and names a bad grid value as --vary; --json's command
// reproduces the run exactly, --variant included; a --variant run says which expectations it skipped and why;
// a library scenario runs by the name `lbsim list` shows. The commands run in this process (./in-process.ts): what
// they print and their exit codes, not the process, are what these defects were about.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TINY, tmp } from "./helpers.js";
import { lbsimInProcess as lbsim } from "./in-process.js";

describe("--out", () => {
  it("naming an existing file: exit 2, one line, nothing simulated or printed", async () => {
    const file = join(tmp(), "report.html");
    writeFileSync(file, "mine");
    const { status, stdout, stderr } = await lbsim(["run", TINY, "--out", file]);
    expect(status).toBe(2);
    expect(stdout).toBe(""); // the summary table is printed after simulating: it never came
    expect(stderr).toBe(`lbsim: --out ${file} is a file; name a folder for the report (it is several files)\n`);
  });

  it("under a file (a folder that cannot be made): exit 2, one line, for compare too", async () => {
    const file = join(tmp(), "plain");
    writeFileSync(file, "");
    const { status, stdout, stderr } = await lbsim(["compare", TINY, "--seeds", "2", "--out", join(file, "report")]);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(`lbsim: --out ${join(file, "report")} cannot be created: ${file} is a file\n`);
  });
});

describe("sweep arguments", () => {
  it("an unknown --metric is an error with did-you-mean, before any run", async () => {
    const { status, stdout, stderr } = await lbsim(["sweep", TINY, "--vary", "lb.health.interval=1s,2s", "--metric", "latencyMs.p99x"]);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^lbsim: --metric latencyMs\.p99x: expected a RunSummary metric .*, got "latencyMs\.p99x" \(did you mean `latencyMs\.p99`\?\)\n$/);
  });

  it("a bad grid value is reported as --vary", async () => {
    const { status, stderr } = await lbsim(["sweep", TINY, "--vary", "lb.health.interval=1s,soon"]);
    expect(status).toBe(2);
    expect(stderr).toMatch(/lb\.health\.interval: expected a duration .*got "soon" \(set by --vary lb\.health\.interval=soon\)/);
    expect(stderr).not.toContain("--set");
  });
});

describe("--variant", () => {
  it("--json's command reproduces the run exactly, --variant included", async () => {
    const first = await lbsim(["run", TINY, "--variant", "http", "--seed", "3", "--set", "duration=15s", "--json"]);
    const doc = JSON.parse(first.stdout);
    expect(doc.command).toBe("lbsim run test/cli/fixtures/tiny.yaml --seed 3 --set duration=15s --variant http");
    // No word of the command needs shell quoting here, so splitting on spaces is exact.
    const again = await lbsim([...doc.command.split(" ").slice(1), "--json"]);
    expect(again.stdout).toBe(first.stdout);
  });

  it("prints which expectations it skipped and why", async () => {
    const { stdout } = await lbsim(["run", TINY, "--variant", "http"]);
    // tiny.yaml's two expectations both read the tcp variant: one compares with it, one is about it.
    expect(stdout).toContain("SKIP  http: requests.lost < 0.5 x tcp (variant tcp did not run)\n");
    expect(stdout).toContain("SKIP  tcp: requests.lostFraction > 0.01 (variant tcp did not run)\n");
  });
});

describe("library scenarios by name", () => {
  it("lbsim run black-hole runs scenarios/black-hole.yaml", async () => {
    const short = ["--variant", "http", "--set", "duration=20s", "--set", "timeline=[]", "--json"];
    const byName = await lbsim(["run", "black-hole", ...short]);
    expect(byName.stderr).toBe("");
    const doc = JSON.parse(byName.stdout);
    expect(doc.scenario).toBe("black-hole");
    expect(byName.stdout).toBe((await lbsim(["run", "scenarios/black-hole.yaml", ...short])).stdout);
  });

  it("a name that is neither a file nor a library scenario suggests the closest", async () => {
    const { status, stderr } = await lbsim(["run", "blak-hole"]);
    expect(status).toBe(2);
    expect(stderr).toBe("lbsim: no file blak-hole here and no library scenario named blak-hole (did you mean `black-hole`?); lbsim list shows the library\n");
  });
});
