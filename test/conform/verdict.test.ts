// Proves the lab's verdicts: a busy machine never turns an out-of-tolerance run into a model mismatch (it is
// inconclusive, exit 4) nor into a pass, agreement on a busy machine still passes, a real mismatch fails (exit 1)
// and outranks any inconclusive case, and documented known differences excuse only the metrics they name.
import { describe, expect, it } from "vitest";
import { oversubscribed } from "../../src/conform/run-case.js";
import { caseStatus, suiteExitCode } from "../../src/conform/verdict.js";
import { row } from "../../src/conform/tolerance.js";

const inside = row("lost fraction", 0.10, 0.12, 0.05, "fraction");
const shareOut = row("share slow", 0.25, 0.20, 0.03, "fraction");
const p99Out = row("p99 ms", 150, 100, 20, "ms");

describe("caseStatus", () => {
  it("passes when every metric is within tolerance, busy or not", () => {
    expect(caseStatus([inside], null, false)).toBe("passed");
    expect(caseStatus([inside], null, true)).toBe("passed");
  });
  it("fails out of tolerance on a machine that kept the schedule, and is inconclusive on a busy one", () => {
    expect(caseStatus([inside, p99Out], null, false)).toBe("failed");
    expect(caseStatus([inside, p99Out], null, true)).toBe("inconclusive");
  });
  it("a known difference excuses only the metrics it names", () => {
    expect(caseStatus([inside, shareOut], ["share"], false)).toBe("known");
    expect(caseStatus([shareOut, p99Out], ["share"], false)).toBe("failed");
  });
});

describe("suiteExitCode", () => {
  it("1 for any mismatch even beside inconclusive cases, 4 for inconclusive alone, 0 otherwise", () => {
    expect(suiteExitCode(["passed", "inconclusive", "failed"])).toBe(1);
    expect(suiteExitCode(["passed", "inconclusive", "known"])).toBe(4);
    expect(suiteExitCode(["passed", "known", "skipped"])).toBe(0);
  });
});

describe("oversubscribed", () => {
  it("is a 1-minute load average above the core count", () => {
    expect(oversubscribed(1.9, 2)).toBe(false);
    expect(oversubscribed(2, 2)).toBe(false);
    expect(oversubscribed(8.3, 2)).toBe(true);
  });
});
