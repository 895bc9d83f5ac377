// Checks after every test file (vitest.config.ts setupFiles) that it left the process as it found it: one
// vitest worker runs many files in one process (isolate: false), so a working directory or exit code left changed
// would change the files that come after it, far from the cause. This fails the file that did it, and puts the
// process back so that the files after it do not fail too.
import { resolve } from "node:path";
import { afterAll, expect } from "vitest";

const ROOT = resolve(import.meta.dirname, "..", "..");

afterAll(() => {
  const cwd = process.cwd();
  const exitCode = process.exitCode ?? 0;
  process.chdir(ROOT);
  process.exitCode = undefined;
  expect(cwd, "this test file changed the working directory and did not put it back").toBe(ROOT);
  expect(exitCode, "this test file set process.exitCode and did not put it back").toBe(0);
});
