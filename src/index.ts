// The package root re-exports the engine; the production libraries have their own entry points
// (`lbsim/balancers`, `lbsim/health`) so a proxy can import them without the simulator.
export * from "./engine/index.js";
