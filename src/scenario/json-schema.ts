// The JSON Schema of scenario files, generated from the zod schema (its input side: what people type, with
// units as text), for `lbsim schema` and for editors: a file that starts with
// `# yaml-language-server: $schema=<path to the schema>` gets completion and checking in VS Code and others.
// Cross-section checks (timeline targets, variant paths) exist only in the loader.
import { z } from "zod";
import { scenarioDocument } from "./schema/scenario.js";

export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioDocument, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>;
  return {
    ...schema,
    $id: "https://lbsim.dev/schemas/scenario.schema.json",
    title: "lbsim scenario",
    description: "A load-balancer simulation scenario: clients, balancer tier, backends, timeline, variants and expectations. Durations are text with a unit (250ms, 5s), rates end in /s, shares are 30% or 0.3.",
  };
}
