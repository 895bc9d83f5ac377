export * from "./distribution.js";
export * from "./basic.js";
export * from "./normal.js";
export * from "./gamma.js";
export * from "./pareto.js";
export * from "./empirical.js";
export * from "./create.js";
