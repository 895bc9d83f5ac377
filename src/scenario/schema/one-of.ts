// The scenario language writes a choice as a mapping with one key naming it: `{ exponential: { mean: 20ms } }`,
// `{ peak-ewma: { decayTime: 10s } }`. This checks that exactly one key is present and hands back its name and
// value; the strict object around it turns an unknown name into an unknown-key error with a did-you-mean.
import type { z } from "zod";

/** The single present key of `value` among `names`, or null after reporting an issue. */
export function onlyKey<K extends string>(value: Partial<Record<K, unknown>>, names: readonly K[], what: string, ctx: z.RefinementCtx): K | null {
  const present = names.filter((name) => value[name] !== undefined);
  if (present.length === 1) return present[0]!;
  const expected = `exactly one ${what}: ${names.join(", ")}`;
  const got = present.length === 0 ? "none" : present.join(" and ");
  // With none present the author probably misspelt the name, which the strict object reports as an unknown key
  // with a did-you-mean; this issue is then dropped as noise (see convertIssues).
  ctx.addIssue({ code: "custom", message: `expected ${expected}, got ${got}`, input: value, params: { expected, unlessUnknownKey: present.length === 0 } });
  return null;
}
