export * from "./time.js";
export * from "./invariant.js";
export * from "./ports.js";
export * from "./rng.js";
export * from "./event-queue.js";
export * from "./simulation.js";
export * from "./distributions/index.js";
export * from "./fifo.js";
