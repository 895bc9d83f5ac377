// The whole scenario file. Sections are validated by their own schemas; this file adds what needs more than
// one section: expanding backend groups into named backends, resolving timeline targets against those names,
// folding nothing silently. Cross-references (timeline targets, expectation variants and metrics) are checked
// once every section is valid, so their messages can list the names that do exist.
import { z } from "zod";
import { duration, positiveDuration } from "../units/duration.js";
import { descriptionLength, nameLength, titleLength } from "./bounds.js";
import { backendGroup, expandGroup, type BackendSpec } from "./backends.js";
import { clientGroup } from "./clients.js";
import { distribution } from "./distribution.js";
import { expectation } from "./expect.js";
import { lb } from "./lb.js";
import { timelineStep } from "./timeline.js";
import { variants } from "./variants.js";
import { resolveScenario } from "./resolve.js";

const network = z.strictObject({
  /** One-way client to balancer latency. Chosen: 1ms, clients in the same region. */
  clientToLb: distribution.prefault({ constant: "1ms" }),
  /** One-way balancer to backend latency. Chosen: 250us, same availability zone. */
  lbToBackend: distribution.prefault({ constant: "250us" }),
});

export const scenarioDocument = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/i, { error: "expected a name of letters, digits, ., - and _ (used in file names)" }).max(...nameLength()),
  title: z.string().max(...titleLength()).optional(),
  description: z.string().max(...descriptionLength()).default(""),
  /** One seed in, a named stream per component out (STYLE.md). */
  seed: z.union([z.number().int(), z.string().min(1).max(...nameLength())]).default(1),
  /** Simulated time; clients stop sending at the end. */
  duration: positiveDuration().prefault("60s"),
  /** Measurements begin after this. */
  warmup: duration().prefault("0s"),
  /** Bound on simulation events, so a runaway model is reported rather than hanging; default proportional to the scenario (src/scenario/event-budget.ts). */
  maxEvents: z.number().int().min(1).optional(),
  network: network.prefault({}),
  /** Where session state lives: on the backend (lost when it dies) or in an external store. */
  sessions: z.enum(["backend", "external"]).default("backend"),
  clients: z.array(clientGroup).min(1),
  lb: lb.prefault({}),
  backends: z.array(backendGroup).min(1),
  timeline: z.array(timelineStep).default([]),
  variants,
  expect: z.array(expectation).default([]),
});

export const scenarioSchema = scenarioDocument.transform((doc, ctx) => resolveScenario(doc, ctx));

export type ScenarioDocument = z.output<typeof scenarioDocument>;
export type ScenarioConfig = z.output<typeof scenarioSchema>;
export type { BackendSpec };
export { expandGroup };
