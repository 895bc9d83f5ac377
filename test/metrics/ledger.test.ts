// Proves the two-level ledger's check can fail: a user request, a try or an attempt that never ends, a success
// counted at one level only, or a try without its user request each throws; a balanced ledger passes, and its
// summary derives client retries and lost counts from the books, each counter in its own tally.
import { describe, expect, it } from "vitest";
import { ATTEMPT_OUTCOME, Ledger, OUTCOME } from "../../src/metrics/ledger.js";

/** One user request tried twice (the first try timed out at the client, the second succeeded), one attempt each. */
function balanced(measured = true): Ledger {
  const ledger = new Ledger();
  ledger.sendRequest(measured);
  ledger.sendAttempt(measured);
  ledger.endAttempt(ATTEMPT_OUTCOME["upstream-timeout"], measured);
  ledger.endTry(OUTCOME["client-timeout"], measured);
  ledger.sendRetry(measured);
  ledger.sendAttempt(measured);
  ledger.endAttempt(ATTEMPT_OUTCOME.ok, measured);
  ledger.endTry(OUTCOME.ok, measured);
  ledger.endRequest(OUTCOME.ok, measured);
  return ledger;
}

describe("Ledger", () => {
  it("balances one user request with two tries and two attempts, and summarises each level", () => {
    const ledger = balanced();
    expect(() => ledger.assertBalanced()).not.toThrow();
    const summary = ledger.summary();
    expect(summary.requests).toMatchObject({ sent: 1, ok: 1, failed: 0 });
    expect(summary.tries).toMatchObject({ sent: 2, ok: 1, failed: 1, retries: 1 });
    expect(summary.tries.outcomes["client-timeout"]).toBe(1);
    expect(summary.attempts).toMatchObject({ sent: 2, ok: 1, failed: 1, retries: 0, hedges: 0, duplicates: 0 });
    expect(summary.attempts.outcomes["upstream-timeout"]).toBe(1);
  });

  it("throws when a user request never ends", () => {
    const ledger = balanced();
    ledger.sendRequest(true);
    ledger.endTry(OUTCOME["client-timeout"], true); // its try ended, the user request did not
    expect(() => ledger.assertBalanced()).toThrow(/user requests: sent 2 but 1 settled/);
  });

  it("throws when a try never ends", () => {
    const ledger = balanced();
    ledger.sendRetry(true);
    expect(() => ledger.assertBalanced()).toThrow(/tries: sent 3 but 2 settled/);
  });

  it("throws when an attempt never ends", () => {
    const ledger = balanced();
    ledger.sendAttempt(true);
    expect(() => ledger.assertBalanced()).toThrow(/attempts: sent 3 but 2 settled/);
  });

  it("throws when a user request ends ok without a successful try", () => {
    const ledger = balanced();
    ledger.sendRequest(true);
    ledger.sendAttempt(true);
    ledger.endAttempt(ATTEMPT_OUTCOME.ok, true);
    ledger.endTry(OUTCOME["backend-error"], true);
    ledger.endRequest(OUTCOME.ok, true); // each book balances, but the levels disagree
    expect(() => ledger.assertBalanced()).toThrow(/2 user requests ok but 1 tries ok/);
  });

  it("throws when a try succeeds without a successful attempt", () => {
    const ledger = balanced();
    ledger.sendRequest(true);
    ledger.endTry(OUTCOME.ok, true);
    ledger.endRequest(OUTCOME.ok, true);
    expect(() => ledger.assertBalanced()).toThrow(/2 tries ok but only 1 attempts ok/);
  });

  it("checks requests sent during the warm-up too, though it reports only those after it", () => {
    const ledger = balanced(false);
    expect(ledger.summary().requests.sent).toBe(0);
    expect(ledger.summary("all").requests.sent).toBe(1);
    ledger.sendRequest(false); // a warm-up request that leaks
    expect(() => ledger.assertBalanced()).toThrow(/all requests: user requests: sent 2 but 1 settled/);
  });

  it("keeps each counter apart: balancer retries, hedges and duplicates in the tallies they were counted in", () => {
    const ledger = balanced();
    ledger.countBalancerRetry(true);
    ledger.countHedge(false);
    ledger.countHedge(false);
    ledger.countDuplicate(true);
    // Measured: the retry and the duplicate; all: those and the two warm-up hedges. Nothing else moved.
    expect(ledger.summary().attempts).toMatchObject({ sent: 2, ok: 1, retries: 1, hedges: 0, duplicates: 1 });
    expect(ledger.summary("all").attempts).toMatchObject({ sent: 2, ok: 1, retries: 1, hedges: 2, duplicates: 1 });
    expect(ledger.summary("all").requests).toMatchObject({ sent: 1, ok: 1, failed: 0 });
    expect(() => ledger.assertBalanced()).not.toThrow();
  });
});
