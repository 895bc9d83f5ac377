// Programmer errors: a broken internal promise stops the run at once. The simulation loop adds the seed and
// the simulated time to the message, so every failure names what reproduces it (TigerBeetle's VOPR habit).

export class InvariantError extends Error {
  override readonly name = "InvariantError";
}

/** Throws an InvariantError when `condition` is false. The message is built lazily when given as a function. */
export function invariant(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) {
    throw new InvariantError(typeof message === "function" ? message() : message);
  }
}

/**
 * A run that could not finish: the event budget ran out, a pending-event bound was passed, or an invariant broke.
 * It carries the seed and simulated time so that the failure can be reproduced exactly.
 */
export class SimulationError extends Error {
  override readonly name = "SimulationError";
  constructor(
    message: string,
    readonly seed: string,
    readonly timeUs: number,
    options?: { cause?: unknown },
  ) {
    super(`${message} (seed ${seed}, t=${timeUs}us)`, options);
  }
}
