// Proves the terminal summary: variants as aligned columns, the measures asked for, only the largest loss causes
// by name (the rest summed), and plain text with no colour codes.
import { describe, expect, it } from "vitest";
import type { ScenarioReport } from "../../src/report/report-data.js";
import { renderTerminalExpectations, renderTerminalSummary } from "../../src/report/terminal-summary.js";
import { buildFixtureReport } from "./fixture.js";

describe("renderTerminalSummary", () => {
  const report = buildFixtureReport({ windows: 150 });
  const text = renderTerminalSummary(report);
  const lines = text.trimEnd().split("\n");

  it("has a title line, a header with the variants, and right-aligned columns", () => {
    expect(lines[0]).toBe("black-hole (seed 42, lbsim 0.1.0)");
    expect(lines[1]).toMatch(/^\s+round-robin\s+least-connections\s+peak-ewma$/);
    // Every row is as wide as the header: the columns line up.
    const width = lines[1]!.length;
    for (const line of lines.slice(2)) expect(line.length, line).toBe(width);
    expect(text).not.toMatch(/\u001b\[/);
  });

  it("lists sent, ok, lost %, loss causes, p50, p99, failed p50, balancer retries and duplicates", () => {
    const labels = lines.slice(3).map((line) => line.slice(0, 22).trim());
    expect(labels).toEqual(["sent", "ok", "lost", "upstream-timeout", "queue-full", "connection-refused", "p50 ms", "p99 ms", "failed p50 ms", "balancer retries", "duplicates"]);
    const sent = report.variants[0]!.summary.requests.sent;
    expect(lines[3]).toContain(sent.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ","));
    expect(lines[5]).toMatch(/\(\d+\.\d\d%\)/);
  });

  it("prints - for a percentile of no requests: a variant that lost nothing has no failed p50, not 0", () => {
    // In this fixture the first variant loses nothing (its failed latencies count 0) and the second loses 2, whose
    // failed p50 is the fixture's 5,000 ms (printed "5,000").
    const mixed = buildFixtureReport({ windows: 30, variants: ["lossless", "lossy"] });
    expect(mixed.variants.map((v) => v.summary.failedLatencyMs.count)).toEqual([0, 2]);
    const row = renderTerminalSummary(mixed).split("\n").find((line) => line.startsWith("failed p50 ms"))!;
    expect(row.trim().split(/\s{2,}/).slice(1)).toEqual(["-", "5,000"]);
  });

  it("names only the four largest loss causes and sums the rest", () => {
    const many: ScenarioReport = buildFixtureReport({ windows: 30, variants: ["only"] });
    const outcomes = many.variants[0]!.summary.requests.outcomes;
    Object.assign(outcomes, { "queue-full": 50, "rate-limited": 40, "backend-error": 30, "client-timeout": 20, "session-lost": 2, "nat-ports-exhausted": 1 });
    const out = renderTerminalSummary(many);
    for (const cause of ["queue-full", "rate-limited", "backend-error", "client-timeout"]) expect(out).toContain(`  ${cause}`);
    expect(out).not.toContain("session-lost");
    expect(out).toMatch(/other causes \(\d\)/);
  });
});

describe("renderTerminalExpectations", () => {
  it("prints PASS or FAIL first, one line each", () => {
    const lines = renderTerminalExpectations(buildFixtureReport({ windows: 150 })).trimEnd().split("\n");
    expect(lines.length).toBe(4);
    expect(lines[0]).toMatch(/^FAIL {2}round-robin: round-robin: requests\.lostFraction < 0\.01 \(actual 0\.0\d+\)$/);
    expect(lines[3]).toBe("PASS  round-robin: latencyMs.p99 < 50 (actual 38.5)");
  });
});
