// Proves hostile paths and documents are user errors (ScenarioError, exit 2) and never reach an object's
// prototype: `__proto__`, `constructor`, `toString`, `hasOwnProperty` as `--set` paths or in a variant's `set:`,
// a `__proto__` key anywhere in the file, and a YAML alias bomb ("too many aliases").
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/scenario/errors/scenario-error.js";
import { parseScenario } from "../../src/scenario/load.js";

const BLACK_HOLE = join(import.meta.dirname, "..", "..", "scenarios", "black-hole.yaml");
const TEXT = readFileSync(BLACK_HOLE, "utf8");
const HOSTILE_PATHS = ["__proto__.x", "constructor", "toString", "hasOwnProperty", "lb.__proto__.polluted", "lb.health.constructor", "backends.0.prototype", "lb.valueOf"];

function scenarioError(run: () => unknown): ScenarioError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error("expected a ScenarioError");
}

describe("hostile paths", () => {
  for (const path of HOSTILE_PATHS) {
    it(`--set ${path}=1 is an unknown path`, () => {
      const error = scenarioError(() => parseScenario(TEXT, "bh.yaml", { set: [`${path}=1`] }));
      expect(error.format()).toMatch(new RegExp(`^--set ${path.replaceAll(".", "\\.")}=1: .*unknown path`));
      expect(({} as Record<string, unknown>).x).toBeUndefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it(`a variant's set: { ${path}: 1 } is an unknown path at its line`, () => {
      const text = TEXT.replace("set: { lb.health.probe: http }", `set: { ${path}: 1 }`);
      const line = text.split("\n").findIndex((l) => l.includes(`set: { ${path}: 1 }`)) + 1;
      const error = scenarioError(() => parseScenario(text, "bh.yaml"));
      expect(error.format()).toMatch(new RegExp(`^bh\\.yaml:${line}:\\d+: variants\\.1\\.set: unknown path`));
    });
  }

  it("a __proto__ key in a variant's set: mapping is refused, not silently dropped", () => {
    // zod drops `__proto__` from records without an issue, so on its own the variant would validate and do nothing.
    const text = TEXT.replace("set: { lb.health.probe: http }", "set: { __proto__: { polluted: 1 } }");
    const error = scenarioError(() => parseScenario(text, "bh.yaml"));
    expect(error.format()).toMatch(/^bh\.yaml:\d+:\d+: variants\.1\.set\.__proto__: unknown key `__proto__`/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("a __proto__ key at the top is refused at its line", () => {
    const lines = TEXT.split("\n").length;
    const error = scenarioError(() => parseScenario(`${TEXT}\n__proto__: { x: 1 }\n`, "bh.yaml"));
    expect(error.issues).toHaveLength(1);
    expect(error.format()).toMatch(new RegExp(`^bh\\.yaml:${lines + 1}:1: __proto__: unknown key`));
  });
});

describe("alias bombs", () => {
  it("are 'too many aliases' at the first alias, not a library stack trace", () => {
    // 9 levels of 9 aliases each expand to 9^9 (387 million) strings; the reader stops after 1000 expansions.
    let text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    let previous = "a";
    for (const name of "bcdefghi") {
      text += `${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]\n`;
      previous = name;
    }
    const error = scenarioError(() => parseScenario(text, "bomb.yaml"));
    expect(error.format()).toMatch(/^bomb\.yaml:2:8: too many aliases/);
  });

  it("leave a few honest anchors alone", () => {
    const text = TEXT.replace("variants:", "x-shared: &shared { lb.health.probe: http }\nvariants:");
    const error = scenarioError(() => parseScenario(text, "bh.yaml"));
    // Only the unknown top-level key is wrong; the anchor itself expanded fine.
    expect(error.format()).toMatch(/x-shared: unknown key/);
  });
});
