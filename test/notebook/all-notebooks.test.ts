// Proves every lesson in notebooks/ still tells the truth: each renders without error and every claim in its
// ```expect blocks holds against today's simulator. This is how CI keeps the numbers in the prose honest.
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { renderNotebook } from "../../src/notebook/index.js";

const ROOT = resolve(__dirname, "..", "..");
const NOTEBOOKS = readdirSync(join(ROOT, "notebooks")).filter((name) => name.endsWith(".md") && name !== "README.md").sort();

describe("every notebook", () => {
  it("there are notebooks to check", () => {
    expect(NOTEBOOKS.length).toBeGreaterThan(0);
  });

  for (const name of NOTEBOOKS) {
    it(`${name}: renders, states at least one claim, and every claim holds`, async () => {
      // Scenario paths in notebooks are relative to the project root, where lbsim runs.
      process.chdir(ROOT);
      const result = await renderNotebook(join("notebooks", name));
      expect(result.expectations.length).toBeGreaterThan(0);
      expect(result.expectations.filter((x) => !x.passed)).toEqual([]);
    });
  }
});
