// The assertion every queueing-theory test makes: the estimate is within the stated tolerance of the theory, and
// that tolerance is at least four standard errors (batch means), so a run too short to mean anything fails rather
// than passing by luck.
import { expect } from "vitest";
import type { BatchMeans } from "../../src/metrics/batch-means.js";

/** Asserts |estimate - expected| <= tolerance x expected, and that this tolerance is at least 4 standard errors. */
export function expectAgreement(estimate: number, expected: number, relativeTolerance: number, standardError: number): void {
  const tolerance = relativeTolerance * expected;
  expect(4 * standardError, "the run is too short for the tolerance to be 4 standard errors").toBeLessThanOrEqual(tolerance);
  expect(Math.abs(estimate - expected)).toBeLessThanOrEqual(tolerance);
}

/** The batch-means standard error of a run that must have kept its batches. */
export function seOf(batches: BatchMeans | undefined): number {
  expect(batches).toBeDefined();
  return batches!.standardError();
}
