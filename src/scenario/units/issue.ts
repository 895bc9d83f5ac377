// One way to report a value that failed a unit or range check inside a zod transform: the message reads
// "expected <what>, got <value>", and `params.expected` carries the <what> so ScenarioError can show it apart.
import { z } from "zod";

export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

/** Pushes an "expected X, got Y" issue (optionally with a hint) and returns z.NEVER for the transform to return. */
export function fail(ctx: z.RefinementCtx, expected: string, got: unknown, hint?: string): typeof z.NEVER {
  const tail = hint === undefined ? "" : ` (${hint})`;
  ctx.addIssue({ code: "custom", message: `expected ${expected}, got ${describeValue(got)}${tail}`, input: got, params: { expected } });
  return z.NEVER;
}
