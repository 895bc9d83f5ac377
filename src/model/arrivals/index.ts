export * from "./arrival-process.js";
export * from "./arrival-clock.js";
export * from "./poisson.js";
export * from "./constant.js";
export * from "./bursty.js";
export * from "./timeline.js";
export * from "./diurnal.js";
export * from "./create-arrival-process.js";
