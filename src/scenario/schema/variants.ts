// Variants: named sets of changes to the raw document (`set: { "lb.health.probe": http }`), applied before
// validation so a variant can change anything the file can say. Their paths are checked against the schema
// by load.ts, which knows the whole document; here only their shape and unique names.
import { z } from "zod";
import { descriptionLength, nameLength } from "./bounds.js";

export const variant = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/i, { error: "expected a name of letters, digits, ., - and _" }).max(...nameLength()),
  description: z.string().max(...descriptionLength()).default(""),
  /** Dotted paths into the document (`lb.health.rise`, `backends.app.workers`, `clients.0.timeout`) and new values. */
  set: z.record(z.string(), z.unknown()).default({}),
});

export const variants = z.array(variant).default([]).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((v, i) => {
    if (seen.has(v.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `expected a unique variant name, got "${v.name}" twice`, params: { expected: "a unique variant name" } });
    seen.add(v.name);
  });
});

export type Variant = z.output<typeof variant>;
