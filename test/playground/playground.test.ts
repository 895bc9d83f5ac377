// Proves the playground computes what the CLI computes: for three library scenarios, the JSON its worker produces
// is byte-identical to `lbsim run --json`; its trace is bounded and evenly sampled; the editor's completion finds
// the fields the schema allows at a cursor and its errors are the CLI's; and a share link round-trips.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenarioText } from "../../src/playground/run-scenario.js";
import { keyPathAt, SchemaCompleter, scenarioIssues } from "../../src/playground/schema-completion.js";
import { decodeShare, encodeShare } from "../../src/report/playground-link.js";
import { MAX_TRACE } from "../../src/playground/trace.js";
import { lbsimInProcess } from "../cli/in-process.js";

const ROOT = resolve(__dirname, "..", "..");

describe("same numbers as the CLI", () => {
  for (const name of ["black-hole", "nat-ip-hash", "l4-vs-l7"]) {
    it(`${name}: the playground's JSON is byte-identical to lbsim run --json`, async () => {
      const file = `scenarios/${name}.yaml`;
      // The CLI's run command in this process (test/cli/in-process.ts, which test/cli/cli.test.ts holds to the
      // process's output): the same code as a spawned lbsim, without starting Node for it.
      const cli = await lbsimInProcess(["run", file, "--json"]);
      expect(cli.stderr).toBe("");
      const run = await runScenarioText(readFileSync(join(ROOT, file), "utf8"), file, undefined);
      expect(run.json).toBe(cli.stdout);
      // One trace per variant, each at most MAX_TRACE requests, naming every backend.
      expect(run.traces.map((t) => t.variant)).toEqual(run.report.variants.map((v) => v.summary.variant));
      for (const [i, trace] of run.traces.entries()) {
        expect(trace.requests.length).toBeLessThanOrEqual(MAX_TRACE);
        // Every stride-th user request kept: ended / stride, rounded up. The summary counts only requests sent after
        // the warm-up, the trace all of them; black-hole has no warm-up, so there the two agree exactly.
        const measured = Object.values(run.report.variants[i]!.summary.requests.outcomes).reduce((a, b) => a + b, 0);
        expect(trace.requests.length).toBe(Math.ceil(trace.ended / trace.stride));
        if (name === "black-hole") expect(trace.ended).toBe(measured);
        else expect(trace.ended).toBeGreaterThanOrEqual(measured);
        expect(trace.backends).toEqual(expect.arrayContaining(run.report.variants[i]!.summary.backends.map((b) => b.name)));
      }
    }, 120_000);
  }
});

describe("the editor's help", () => {
  it("finds the key path at a cursor by indentation", () => {
    const text = "clients:\n  - name: x\n    load:\n      op";
    expect(keyPathAt(text, text.length)).toEqual(["clients", "[]", "load"]);
    const item = "backends:\n  - name: app\n    gc:\n      - name: young\n        pau";
    expect(keyPathAt(item, item.length)).toEqual(["backends", "[]", "gc", "[]"]);
    expect(keyPathAt("lb:\n  health:\n    ri", 20)).toEqual(["lb", "health"]);
    expect(keyPathAt("na", 2)).toEqual([]);
  });

  it("completes the fields the schema allows there", () => {
    const completer = new SchemaCompleter();
    const top = completer.fieldsAt([]).map((f) => f.label);
    expect(top).toEqual(expect.arrayContaining(["name", "duration", "clients", "lb", "backends", "timeline", "variants", "expect"]));
    const health = completer.fieldsAt(["lb", "health"]).map((f) => f.label);
    expect(health).toEqual(expect.arrayContaining(["preset", "rise", "fall", "interval"]));
    const group = completer.fieldsAt(["clients", "[]"]).map((f) => f.label);
    expect(group).toEqual(expect.arrayContaining(["name", "count", "load", "classes", "replay"]));
  });

  it("reports the CLI's errors with their lines", () => {
    const text = readFileSync(join(ROOT, "scenarios", "black-hole.yaml"), "utf8").replace("workers: 32", "workers: -1");
    const issues = scenarioIssues(text, "scenarios/black-hole.yaml");
    const line = text.split("\n").findIndex((l) => l.includes("workers: -1")) + 1;
    expect(issues.map((i) => [i.line, i.path])).toContainEqual([line, "backends.0.workers"]);
    expect(scenarioIssues(readFileSync(join(ROOT, "scenarios", "black-hole.yaml"), "utf8"), "x.yaml")).toEqual([]);
  });

  it("round-trips a share link, unicode included", () => {
    const state = { name: "mine", text: "name: café\nduration: 1m\n", seed: "7" };
    expect(decodeShare(encodeShare(state))).toEqual(state);
    expect(decodeShare(encodeShare({ scenario: "black-hole", seed: "42" }))).toEqual({ scenario: "black-hole", seed: "42" });
    expect(decodeShare("yaml=%%%")).toEqual({});
  });
});
