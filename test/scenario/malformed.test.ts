// Proves every malformed scenario in fixtures/bad is rejected with a ScenarioError that names the right line and says what was wrong.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/scenario/errors/scenario-error.js";
import { loadScenario } from "../../src/scenario/load.js";

const DIR = join(import.meta.dirname, "fixtures", "bad");
const files = readdirSync(DIR).filter((f) => f.endsWith(".yaml") || f.endsWith(".json")).sort();

/** `# expect: 7: lb.health.rise: expected an integer >= 1` (YAML) or a `"//"` key holding the same text (JSON). */
function expectation(text: string): { line: number; fragment: string } {
  const match = /expect: (\d+): (.+?)"?$/m.exec(text);
  if (match === null) throw new Error("fixture lacks an expect comment");
  return { line: Number(match[1]), fragment: match[2]! };
}

function loadError(file: string): ScenarioError {
  try {
    loadScenario(file);
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error(`${file} loaded without an error`);
}

describe("malformed scenarios", () => {
  it("has at least 20 fixtures", () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  for (const name of files) {
    it(name, () => {
      const file = join(DIR, name);
      const { line, fragment } = expectation(readFileSync(file, "utf8"));
      const error = loadError(file);
      const lines = error.format().split("\n");
      const matching = lines.find((l) => l.includes(fragment));
      expect(matching, error.format()).toBeDefined();
      expect(matching!.startsWith(`${file}:${line}:`), `${matching} should be at line ${line}`).toBe(true);
      // No stack trace in what the CLI prints.
      expect(error.format()).not.toMatch(/\n\s+at /);
    });
  }
});
