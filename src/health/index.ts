// Public API of lbsim's production health library: active checks (pure step), probe semantics, passive health
// (NGINX, Envoy outlier detection, HAProxy observe), slow start, panic/fail-open, draining, the per-backend view and
// proxy presets. Depends only on the engine's ports and time helpers, so a real proxy can use it unchanged.
export * from "./observation.js";
export * from "./status-range.js";
export * from "./probe.js";
export * from "./active-check-config.js";
export * from "./active-check-state.js";
export * from "./active-check-step.js";
export * from "./check-schedule.js";
export * from "./nginx-passive.js";
export * from "./envoy-outlier.js";
export * from "./haproxy-observe.js";
export * from "./slow-start.js";
export * from "./panic.js";
export * from "./draining.js";
export * from "./health-config.js";
export * from "./backend-health.js";
export * from "./presets.js";
export * from "./checker-ports.js";
export * from "./health-checker.js";
