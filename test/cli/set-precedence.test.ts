// Proves `--set` never relabels a column: a variant's own setting wins over --set for the same path, the CLI
// says so on stderr in one line, and a sweep refuses a --vary path a variant sets itself (its rows would lie).
// The commands run in this process (./in-process.ts): their output and exit codes are the claim.
import { describe, expect, it } from "vitest";
import { TINY } from "./helpers.js";
import { lbsimInProcess as lbsim } from "./in-process.js";

describe("--set and variants", () => {
  it("a variant keeps its own setting; the override that did not apply is named", async () => {
    const plain = JSON.parse((await lbsim(["run", TINY, "--json"])).stdout);
    const set = await lbsim(["run", TINY, "--json", "--set", "lb.health.probe=http"]);
    expect(set.stderr).toBe("lbsim: --set lb.health.probe=http is not applied to variants tcp, http: a variant's own setting of lb.health.probe wins over --set\n");
    const doc = JSON.parse(set.stdout);
    // Each column is the variant it is named after: the same numbers as without the override, and tcp and
    // http differ (on today's main, --set turned both columns into http and they were identical).
    expect(doc.variants).toEqual(plain.variants);
    expect(doc.variants[0].requests.ok).not.toBe(doc.variants[1].requests.ok);
  });

  it("sweep: a --vary path that a variant sets is an error before any run", async () => {
    const { status, stdout, stderr } = await lbsim(["sweep", TINY, "--vary", "lb.health.probe=tcp,http", "--seeds", "1", "--workers", "1"]);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe("lbsim: --vary lb.health.probe=tcp: variants tcp, http set lb.health.probe themselves, so their rows would not take the grid's values; vary a path no variant sets\n");
  });
});
