// Proves the split between npm test and npm run test:long loses no test: every file test/long-tests.ts names
// exists (a renamed file would silently leave test:long), and each is a test file, which vitest.config.ts
// excludes and vitest.long.config.ts includes, so every *.test.ts runs in exactly one of the two.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { LONG_TESTS } from "../long-tests.js";

const ROOT = resolve(__dirname, "..", "..");

describe("npm test / npm run test:long split", () => {
  it("names only test files that exist", () => {
    const missing = LONG_TESTS.filter((file) => !file.endsWith(".test.ts") || !existsSync(join(ROOT, file)));
    expect(missing).toEqual([]);
    expect(new Set(LONG_TESTS).size).toBe(LONG_TESTS.length);
  });
});
