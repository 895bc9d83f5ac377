// Proves `lbsim --version` and `lbsim list` start without loading what they do not need: no vega,
// vega-lite or resvg (charts), no zod schema, no simulator (engine loop, model, lab runs), no histograms, no proxy. That is
// what keeps them well under half a second (measured with hyperfine; timings live in the README, not in tests).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, ROOT } from "./helpers.js";

const HOOK = join(ROOT, "test", "cli", "fixtures", "record-imports.mjs");

function importsOf(args: readonly string[]): string[] {
  const result = spawnSync(process.execPath, ["--import", HOOK, CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  expect(result.status).toBe(0);
  return result.stderr.split("\n").filter((line) => line.startsWith("IMPORT ")).map((line) => line.slice("IMPORT ".length).replace(`file://${ROOT}/`, ""));
}

/** Modules only a command that simulates, validates or draws may load. */
const HEAVY = [
  /node_modules\/(vega|vega-lite|@resvg|zod|hdr-histogram-js|seedrandom)\//,
  /^dist\/(model|lab|engine\/simulation|report\/render|scenario\/schema|scenario\/load|notebook|balancers|health|proxy\/(?!proxy-start-error))/,
];

describe("startup", () => {
  for (const args of [["--version"], ["-V"], ["list"]]) {
    it(`lbsim ${args.join(" ")} loads nothing heavy`, () => {
      const imports = importsOf(args);
      expect(imports).toContain("dist/cli/main.js"); // the hook saw the CLI's own modules
      expect(imports.filter((url) => HEAVY.some((pattern) => pattern.test(url)))).toEqual([]);
    });
  }
});
