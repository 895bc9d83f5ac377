// The two things production code (balancers, health) needs from its host, as plain interfaces. The simulator
// passes its clock and a forked random stream; a real proxy passes a monotonic clock and any uniform source.
// Nothing here depends on the simulation loop, so `src/balancers` and `src/health` may import this file.

/** A monotonic clock in integer microseconds. */
export interface Clock {
  nowUs(): number;
}

/** A source of uniform doubles in [0, 1). */
export interface RandomSource {
  next(): number;
}
