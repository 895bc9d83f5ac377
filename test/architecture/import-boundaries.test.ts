// Proves the production libraries stay importable by a real proxy: src/balancers and src/health import nothing
// from the simulation loop or the simulated world, only the engine's plain ports and time helpers.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(__dirname, "..", "..", "src");
/** What production code may import from outside its own folder. */
const ALLOWED_OUTSIDE = new Set(["engine/ports.ts", "engine/time.ts"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers: string[] = [];
  for (const match of text.matchAll(/(?:import|export)[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)) {
    specifiers.push((match[1] ?? match[2])!);
  }
  return specifiers;
}

/** Violations for one library folder: imports that leave it, other than the allowed ports. */
export function boundaryViolations(library: string): string[] {
  const root = join(SRC, library);
  const violations: string[] = [];
  for (const file of sourceFiles(root)) {
    for (const specifier of importsOf(file)) {
      if (!specifier.startsWith(".")) {
        violations.push(`${relative(SRC, file)} imports package "${specifier}"`);
        continue;
      }
      const target = relative(SRC, resolve(dirname(file), specifier.replace(/\.js$/, ".ts")));
      if (target.startsWith(`${library}/`) || ALLOWED_OUTSIDE.has(target)) continue;
      violations.push(`${relative(SRC, file)} imports ${target}`);
    }
  }
  return violations;
}

describe("import boundaries of the production libraries", () => {
  for (const library of ["balancers", "health"]) {
    it(`src/${library} imports only itself, engine/ports and engine/time`, () => {
      expect(sourceFiles(join(SRC, library)).length).toBeGreaterThan(0);
      expect(boundaryViolations(library)).toEqual([]);
    });
  }

  it("the scanner catches a forbidden import (it can fail)", () => {
    // The model folder imports the simulation loop, so scanning it as if it were a library must report it.
    expect(boundaryViolations("model").some((v) => v.includes("engine/simulation.ts"))).toBe(true);
  });
});
