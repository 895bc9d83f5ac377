// Exit codes, as documented in the README: 0 ok, 1 an `expect:` failed, 2 bad input, 3 the simulation itself
// failed (an event budget ran out or an invariant broke: a bug or an unbounded scenario, reported with its seed);
// `lbsim conform` only: 4 no verdict, a case out of tolerance while the machine was too busy to keep its schedule.
export const EXIT = { ok: 0, expectationFailed: 1, badInput: 2, simulationFailed: 3, inconclusive: 4 } as const;

/** A user error found by the CLI itself (a bad option value): printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
