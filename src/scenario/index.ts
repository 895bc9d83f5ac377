// The scenario layer's public surface: load a file, build a run, print errors, generate the JSON Schema.
export { buildBackend, buildRun, scenarioConfig, type BuiltRun } from "./build.js";
export { ScenarioError, formatIssue, type ScenarioIssue } from "./errors/scenario-error.js";
export { scenarioJsonSchema } from "./json-schema.js";
export { loadScenario, parseScenario, type LoadOptions, type LoadedScenario, type ResolvedVariant } from "./load.js";
export { isKnownMetric, knownMetrics, metricValue } from "./metric-path.js";
export type { Expectation, ExpectBound } from "./schema/expect.js";
export type { BackendSpec } from "./schema/backends.js";
export type { ScenarioConfig, ScenarioDocument } from "./schema/scenario.js";
export { STARTER_SCENARIO } from "./starter.js";
export type { BuiltTimelineStep, TimelineAction, TimelineStep } from "./timeline-step.js";
